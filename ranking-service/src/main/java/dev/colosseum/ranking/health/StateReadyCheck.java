package dev.colosseum.ranking.health;

import dev.colosseum.ranking.service.LogFollower;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the ingested votes are reloaded from schema ranking (leaderboards are complete from then on). */
@Readiness
@ApplicationScoped
public class StateReadyCheck implements HealthCheck {
    private final LogFollower follower;

    public StateReadyCheck(LogFollower follower) {
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        LogFollower.FollowerStatus s = follower.status();
        return HealthCheckResponse.named("ranking-state").status(follower.loaded())
                .withData("stored_votes", s.storedVotes()).withData("caught_up", s.caughtUp())
                .withData("last_error", s.lastError() == null ? "" : s.lastError()).build();
    }
}
