package dev.colosseum.router.rest;

import dev.colosseum.router.JobView;
import dev.colosseum.router.ModelVersionView;
import dev.colosseum.router.TrainRequest;
import dev.colosseum.router.config.RouterServiceConfig;
import dev.colosseum.router.core.Calibration;
import dev.colosseum.router.service.RouterEngine;
import dev.colosseum.router.service.TrainingService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Map;

/** Training, versions, jobs and calibration. */
@Path("/api/v1/router")
@Produces(MediaType.APPLICATION_JSON)
public class RouterAdminResource {
    private final TrainingService training;
    private final RouterEngine engine;
    private final RouterServiceConfig config;

    public RouterAdminResource(TrainingService training, RouterEngine engine, RouterServiceConfig config) {
        this.training = training;
        this.engine = engine;
        this.config = config;
    }

    private void admin(String key, String auth) {
        String given = key != null ? key : auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        String expected = System.getenv().getOrDefault("COLOSSEUM_ADMIN_KEY", config.adminKey());
        if (given == null || !given.equals(expected)) {
            throw new ErrorMappers.ProblemException(401, "admin key required (X-Admin-Key or Authorization: Bearer)", "X-Admin-Key");
        }
    }

    @POST
    @Path("/train")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<Map<String, String>> train(TrainRequest req, @HeaderParam("X-Admin-Key") String key,
                                                   @HeaderParam("Authorization") String auth) {
        admin(key, auth);
        if (req == null || req.router() == null || !TrainingService.knownKind(req.router())) {
            throw new ErrorMappers.ProblemException(400, "router must be one of sw, mf, clf, best", "router");
        }
        String source = req.source() == null ? "votes" : req.source();
        if (!source.equals("votes") && !source.equals("file")) {
            throw new ErrorMappers.ProblemException(400, "source must be 'votes' or 'file'", "source");
        }
        if (source.equals("file") && (req.path() == null || !java.nio.file.Files.exists(java.nio.file.Path.of(req.path())))) {
            throw new ErrorMappers.ProblemException(400, "path must name an existing file or directory", "path");
        }
        JobView j = training.submit(req.router(), source, req.path());
        return RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, Map.of("job_id", j.jobId())).build();
    }

    @GET
    @Path("/jobs/{id}")
    public JobView job(@PathParam("id") String id) {
        return training.job(id).orElseThrow(() -> new ErrorMappers.ProblemException(404, "no job " + id, "id"));
    }

    @GET
    @Path("/jobs")
    public List<JobView> jobs() {
        return training.jobs();
    }

    @GET
    @Path("/models")
    public Uni<List<ModelVersionView>> models() {
        return training.versions();
    }

    /** Calibration view; with {@code source=traffic} (admin) re-calibrates from recent routed prompts. */
    public record CalibrationView(String router, String source, int prompts, Map<String, Double> thresholds) {
    }

    @GET
    @Path("/calibration")
    public CalibrationView calibration(@QueryParam("router") String router) {
        RouterEngine.Active a = engine.active().get(router == null ? "random" : router);
        if (a == null) {
            throw new ErrorMappers.ProblemException(404, "router " + router + " has no trained version", "router");
        }
        return view(router, a.calibration());
    }

    @POST
    @Path("/calibrate")
    public CalibrationView recalibrate(@QueryParam("router") String router, @HeaderParam("X-Admin-Key") String key,
                                       @HeaderParam("Authorization") String auth) {
        admin(key, auth);
        if (router == null || engine.active().get(router) == null) {
            throw new ErrorMappers.ProblemException(404, "router " + router + " has no trained version", "router");
        }
        Calibration c = engine.recalibrateFromTraffic(router);
        if (c == null) {
            throw new ErrorMappers.ProblemException(400, "only " + engine.trafficSize(router) + " recent prompts; need "
                    + config.trafficMinimum(), "router");
        }
        return view(router, c);
    }

    static CalibrationView view(String router, Calibration c) {
        Map<String, Double> t = new java.util.LinkedHashMap<>();
        for (int p : new int[] {10, 20, 30, 40, 50, 60, 70, 80, 90}) {
            t.put("p" + p, c.thresholdFor(p / 100.0));
        }
        return new CalibrationView(router, c.source(), c.size(), t);
    }
}
