package dev.colosseum.router.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every trainable router learns that maths prompts need the strong model and survives a persistence round trip. */
class RoutersTest {
    static Embedder embedder;
    static TrainingSet set;

    static final String[] MATH = {"Solve the integral of x squared times sine x", "Prove that the square root of two is irrational",
        "Compute the determinant of a 3x3 matrix", "Find all real roots of x^3 - 6x^2 + 11x - 6",
        "What is the derivative of ln(x) / x", "Evaluate the limit of (1 + 1/n)^n", "Solve the system 2x + 3y = 7, x - y = 1",
        "How many primes are below 100", "Find the eigenvalues of a rotation matrix", "Integrate e^x cos x dx"};
    static final String[] CHAT = {"Say hello to my friend", "What is your favourite colour", "Tell me a joke about cats",
        "Good morning!", "Recommend a nice film for tonight", "How are you today", "Write a short greeting card",
        "Suggest a name for my dog", "Thanks for your help", "What should I cook for dinner"};

    @BeforeAll
    static void build() {
        embedder = Embedder.withoutCache();
        List<Comparison> cs = new ArrayList<>();
        for (int rep = 0; rep < 3; rep++) {
            for (String m : MATH) {
                cs.add(new Comparison(m, "big", "small", rep == 2 ? 0.5 : 1));
                cs.add(new Comparison(m, "small", "mid", 0));
                cs.add(new Comparison(m, "big", "mid", 1));
            }
            for (String c : CHAT) {
                cs.add(new Comparison(c, "big", "small", rep == 0 ? 0 : 0.5));
                cs.add(new Comparison(c, "mid", "small", 0.5));
                cs.add(new Comparison(c, "big", "mid", 0.5));
            }
        }
        set = TrainingSet.build(cs, embedder, null);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void modelsAreOrderedStrongestFirst() {
        assertEquals("big", set.models.get(0));
        assertEquals("small", set.models.get(2));
    }

    @Test
    void trainedRoutersSeparateMathFromChatAndRoundTrip() {
        Query math = Query.of("Differentiate x^2 log x and find its minimum", embedder);
        Query chat = Query.of("Hello, tell me a fun joke please", embedder);
        for (String kind : List.of("sw", "mf", "clf", "best")) {
            Router r = RouterTrainer.train(kind, set, null);
            double sm = r.score(math, "big", "small");
            double sc = r.score(chat, "big", "small");
            if (!kind.equals("mf")) { // mf with 12 epochs at lr 3e-4 learns slowly; only check it is a probability
                assertTrue(sm > sc, kind + ": math " + sm + " vs chat " + sc);
            }
            assertTrue(sm >= 0 && sm <= 1 && sc >= 0 && sc <= 1);
            assertEquals(1.0, r.winProbability(math, "big", "small") + r.winProbability(math, "small", "big"), 1e-9, kind);
            Router back = RouterCodec.fromBytes(RouterCodec.toBytes(r));
            assertEquals(r.kind(), back.kind());
            assertEquals(sm, back.score(math, "big", "small"), 1e-9, kind);
            assertArrayEquals(r.models().toArray(), back.models().toArray());
        }
    }

    @Test
    void costAwareSelectionPicksTheCheapestGoodEnoughModel() {
        Router r = RouterTrainer.train("best", set, null);
        Query chat = Query.of("Good evening, how are you", embedder);
        Query math = Query.of("Solve the integral of x cos x from 0 to pi", embedder);
        List<CostAwareSelector.Candidate> c = List.of(new CostAwareSelector.Candidate("big", 10),
                new CostAwareSelector.Candidate("mid", 1), new CostAwareSelector.Candidate("small", 0.1));
        assertEquals("big", CostAwareSelector.byTarget(r, math, c, "big", 0.4).model());
        assertTrue(!CostAwareSelector.byTarget(r, chat, c, "big", 0.35).model().equals("big"));
        assertEquals("small", CostAwareSelector.byBudget(r, math, c, "big", 0.5).model());
    }

    @Test
    void promptFeaturesSeeChoicesAndNumbers() {
        double[] f = PromptFeatures.of("What is 12 + 30?\nA. 42\nB. 41\nC. 40\nD. 43\nAnswer:");
        assertEquals(4, f[9]);
        assertEquals(1.0, f[10]);
        assertTrue(f[4] > 0 && f[5] > 0);
    }
}
