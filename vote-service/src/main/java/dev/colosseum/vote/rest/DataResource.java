package dev.colosseum.vote.rest;

import dev.colosseum.vote.HygieneReport;
import dev.colosseum.vote.ImportFileRequest;
import dev.colosseum.vote.ImportSummary;
import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.VoteStats;
import dev.colosseum.vote.service.ExportService;
import dev.colosseum.vote.service.HygieneService;
import dev.colosseum.vote.service.ImportService;
import dev.colosseum.vote.service.StatsService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Bulk import and export, statistics and hygiene passes. */
@Path("/api/v1")
@Tag(name = "data")
public class DataResource {
    private final ImportService imports;
    private final ExportService exports;
    private final StatsService stats;
    private final HygieneService hygiene;
    private final AdminGuard admin;

    public DataResource(ImportService imports, ExportService exports, StatsService stats, HygieneService hygiene,
                        AdminGuard admin) {
        this.imports = imports;
        this.exports = exports;
        this.stats = stats;
        this.hygiene = hygiene;
        this.admin = admin;
    }

    @POST
    @Path("/import")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import FastChat clean_battle JSON/JSONL or Kaggle CSV (admin key); streamed")
    public ImportSummary importFile(InputStream body, @QueryParam("format") @DefaultValue("auto") String format,
                                    @QueryParam("source") @DefaultValue("import") String source,
                                    @HeaderParam("X-Admin-Key") String key, @HeaderParam("Authorization") String auth) {
        admin.check(key, auth);
        return imports.importStream(body, format, source);
    }

    @POST
    @Path("/import/file")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a file from the service's import directory (admin key); streamed from disk, any size")
    public ImportSummary importFromFile(ImportFileRequest request, @HeaderParam("X-Admin-Key") String key,
                                        @HeaderParam("Authorization") String auth) {
        admin.check(key, auth);
        if (request == null) {
            throw new ProblemException(400, "Invalid import", "body {\"path\": …} is required", "path");
        }
        return imports.importFile(request.path(), request.format(), request.source());
    }

    @GET
    @Path("/import/status")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Progress of the running (or last) import")
    public ImportSummary importStatus() {
        return imports.status();
    }

    @GET
    @Path("/export")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Stream votes as FastChat clean_battle JSONL or Kaggle-layout CSV")
    public RestMulti<String> export(@QueryParam("format") @DefaultValue("jsonl") String format,
                                    @QueryParam("from") String from, @QueryParam("to") String to,
                                    @QueryParam("category") String category, @QueryParam("model") String model,
                                    @QueryParam("include_excluded") @DefaultValue("true") boolean includeExcluded) {
        ExportService.Filter filter = new ExportService.Filter(instant("from", from), instant("to", to),
                blankToNull(category), blankToNull(model), includeExcluded);
        Multi<String> body = exports.export(format, filter);
        return RestMulti.fromMultiData(body).encodeAsJsonArray(false)
                .header("Content-Type", "csv".equals(format) ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .build();
    }

    @GET
    @Path("/stats")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Vote counts per model, per pair and per day")
    public Uni<VoteStats> stats() {
        return stats.stats();
    }

    @POST
    @Path("/hygiene/run")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run prompt de-duplication and the anomalous-voter test now (admin key)")
    public Uni<HygieneReport> runHygiene(@HeaderParam("X-Admin-Key") String key, @HeaderParam("Authorization") String auth) {
        admin.check(key, auth);
        return hygiene.run();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(400, "Invalid time", field + " must be an ISO-8601 instant such as "
                    + "2024-06-01T00:00:00Z", field);
        }
    }
}
