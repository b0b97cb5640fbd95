package dev.colosseum.vote.service;

import dev.colosseum.vote.config.VoteConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client token buckets held in memory only. Clients are identified by a salted hash of their
 * address (see {@link ClientKeys}); raw addresses are neither kept here nor stored anywhere.
 */
@ApplicationScoped
public class RateLimiter {
    private final double ratePerSecond;
    private final int burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(VoteConfig config) {
        this.ratePerSecond = config.limits().clientRatePerSecond();
        this.burst = Math.max(1, config.limits().clientBurst());
    }

    /** Returns 0 when the request may pass, else the seconds to wait before retrying. */
    public long acquire(String clientKey) {
        if (ratePerSecond <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        if (buckets.size() > 100_000) {
            buckets.entrySet().removeIf(e -> e.getValue().idleSince(now) > 3_600_000_000_000L);
        }
        Bucket b = buckets.computeIfAbsent(clientKey, k -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.last) / 1e9 * ratePerSecond);
            b.last = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / ratePerSecond));
        }
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }

        synchronized long idleSince(long now) {
            return now - last;
        }
    }
}
