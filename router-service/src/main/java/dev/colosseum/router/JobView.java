package dev.colosseum.router;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** Progress of one training job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(@JsonProperty("job_id") String jobId, String router, String source, String state,
                      double progress, String message, @JsonProperty("comparisons") Integer comparisons,
                      @JsonProperty("version") Integer version, @JsonProperty("started_at") Instant startedAt,
                      @JsonProperty("finished_at") Instant finishedAt) {
}
