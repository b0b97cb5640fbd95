package dev.colosseum.router;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = UpstreamStubResource.class, restrictToAnnotatedClass = true)
class ChatCompletionsTest {
    @TestHTTPResource("/v1")
    URL base;

    @Test
    void openAiClientNonStreamingThresholdZeroGoesStrong() {
        OpenAiChatModel m = OpenAiChatModel.builder().baseUrl(base.toString()).apiKey("unused")
                .modelName("router-random-0.0").build();
        ChatResponse r = m.chat(ChatRequest.builder().messages(UserMessage.from("Say hello")).build());
        assertEquals("Hello from up-strong", r.aiMessage().text());
        assertEquals("strong-model", r.metadata().modelName());
        // the upstream saw its own model name, the rest of the body intact
        UpstreamStubResource.server.verify(WireMock.postRequestedFor(WireMock.urlEqualTo("/up-strong/v1/chat/completions"))
                .withRequestBody(WireMock.matchingJsonPath("$.model", WireMock.equalTo("up-strong"))));
    }

    @Test
    void openAiClientStreamingThresholdOneGoesWeak() throws Exception {
        OpenAiStreamingChatModel m = OpenAiStreamingChatModel.builder().baseUrl(base.toString()).apiKey("unused")
                .modelName("router-random-1").build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        m.chat(ChatRequest.builder().messages(UserMessage.from("Say hello")).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String s) {
                partial.append(s);
            }

            @Override
            public void onCompleteResponse(ChatResponse r) {
                done.complete(r);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }
        });
        ChatResponse r = done.get(30, TimeUnit.SECONDS);
        assertEquals("Hello from up-weak", partial.toString());
        assertEquals("Hello from up-weak", r.aiMessage().text());
        assertEquals("weak-model", r.metadata().modelName());
    }

    @Test
    void toolsPassThroughAndToolCallsComeBack() {
        OpenAiChatModel m = OpenAiChatModel.builder().baseUrl(base.toString()).apiKey("unused")
                .modelName("router-random-0").build();
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").description("weather in a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
        ChatResponse r = m.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Paris?")).toolSpecifications(weather).build());
        assertTrue(r.aiMessage().hasToolExecutionRequests());
        assertEquals("get_weather", r.aiMessage().toolExecutionRequests().get(0).name());
        UpstreamStubResource.server.verify(WireMock.postRequestedFor(WireMock.urlEqualTo("/up-strong/v1/chat/completions"))
                .withRequestBody(WireMock.matchingJsonPath("$.tools[0].function.name", WireMock.equalTo("get_weather"))));
    }

    @Test
    void decisionHeadersAndRouteEndpoint() {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"router-random-0.25\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"json_object\"}}")
                .post("/v1/chat/completions").then().statusCode(200)
                .header("X-Router", "random").header("X-Router-Score", notNullValue())
                .header("X-Router-Threshold", "0.250000").header("X-Router-Model", notNullValue());
        given().contentType(ContentType.JSON).body("{\"model\":\"router-random-p50\",\"prompt\":\"What is 2+2?\"}")
                .post("/api/v1/route").then().statusCode(200).body("router", equalTo("random"))
                .body("strong_fraction", equalTo(0.5f)).body("calibration_source", equalTo("reference"));
    }

    @Test
    void badModelNamesAndBodiesAreOpenAiShaped4xx() {
        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(404)
                .body("error.code", equalTo("model_not_found")).body("error.param", equalTo("model"))
                .body("error.type", equalTo("invalid_request_error"));
        given().contentType(ContentType.JSON).body("{\"model\":\"router-mf-0.5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        given().contentType(ContentType.JSON).body("{\"model\":\"router-random-0.5\"}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("messages"));
        given().contentType(ContentType.JSON).body("{not json").post("/v1/chat/completions").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        given().contentType(ContentType.JSON).body("{\"model\":\"router-random-0.5\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.message", notNullValue());
    }

    @Test
    void modelsListsRoutersAndUpstreams() {
        given().get("/v1/models").then().statusCode(200).body("object", equalTo("list"))
                .body("data.id", hasItem("router-random-p50")).body("data.id", hasItem("strong-model"))
                .body("data.id", hasItem("weak-model"));
    }

    @Test
    void trainingNeedsAdminKeyAndValidBody() {
        given().contentType(ContentType.JSON).body("{\"router\":\"best\",\"source\":\"votes\"}")
                .post("/api/v1/router/train").then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).header("X-Admin-Key", "colosseum-dev-admin").body("{\"router\":\"nope\"}")
                .post("/api/v1/router/train").then().statusCode(400).body("field", equalTo("router"));
    }

    @Test
    void trainFromFilePersistsAVersionAndServesIt() throws Exception {
        StringBuilder csv = new StringBuilder("prompt,strong-model,weak-model\n");
        for (int i = 0; i < 15; i++) {
            csv.append("\"Prove that the integral of x^").append(i).append(" sin x converges and compute it\",true,false\n");
            csv.append("\"Say hello to my friend number ").append(i).append("\",true,true\n");
        }
        java.nio.file.Path f = java.nio.file.Files.createTempFile("router-train", ".csv");
        java.nio.file.Files.writeString(f, csv.toString());
        String job = given().contentType(ContentType.JSON).header("X-Admin-Key", "colosseum-dev-admin")
                .body("{\"router\":\"best\",\"source\":\"file\",\"path\":\"" + f + "\"}")
                .post("/api/v1/router/train").then().statusCode(202).extract().path("job_id");
        String state = "queued";
        for (int i = 0; i < 600 && !state.equals("succeeded") && !state.equals("failed"); i++) {
            Thread.sleep(200);
            state = given().get("/api/v1/router/jobs/" + job).then().statusCode(200).extract().path("state");
        }
        assertEquals("succeeded", state, given().get("/api/v1/router/jobs/" + job).asString());
        given().get("/api/v1/router/jobs/" + job).then().body("progress", equalTo(1.0f)).body("comparisons", equalTo(30))
                .body("version", equalTo(1));
        given().get("/api/v1/router/models").then().statusCode(200).body("router", hasItem("best"))
                .body("find { it.router == 'best' }.active", equalTo(true))
                .body("find { it.router == 'best' }.models", hasItem("strong-model"));
        float math = given().contentType(ContentType.JSON)
                .body("{\"model\":\"router-best-0.5\",\"prompt\":\"Prove that the integral of x^20 sin x converges\"}")
                .post("/api/v1/route").then().statusCode(200).body("router_version", equalTo(1)).extract().path("score");
        float chat = given().contentType(ContentType.JSON)
                .body("{\"model\":\"router-best-0.5\",\"prompt\":\"Say hello to my friend number 20\"}")
                .post("/api/v1/route").then().statusCode(200).extract().path("score");
        assertTrue(math > chat, math + " vs " + chat);
        given().get("/v1/models").then().body("data.id", hasItem("router-best-p50"));
        // cost-aware routing over the registry: a very low budget picks the cheap model
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"router-best-0.5\",\"prompt\":\"Prove it\",\"budget\":1}")
                .post("/api/v1/route").then().statusCode(200).body("model", equalTo("weak-model"));
    }
}
