package dev.colosseum.vote.service;

import dev.colosseum.vote.VoteStats;
import dev.colosseum.vote.repository.VoteRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Aggregate counts straight from SQL. */
@ApplicationScoped
public class StatsService {
    private final VoteRepository repository;

    public StatsService(VoteRepository repository) {
        this.repository = repository;
    }

    public Uni<VoteStats> stats() {
        var pool = repository.pool();
        Uni<long[]> totals = pool.query("SELECT count(*), count(*) FILTER (WHERE excluded) FROM vote.votes").execute()
                .map(rs -> {
                    Row r = rs.iterator().next();
                    return new long[] {r.getLong(0), r.getLong(1)};
                });
        Uni<List<VoteStats.ModelCount>> perModel = pool.query("SELECT m, count(*) FROM (SELECT model_a AS m FROM vote.votes "
                + "UNION ALL SELECT model_b FROM vote.votes) x GROUP BY m ORDER BY count(*) DESC, m").execute().map(rs -> {
                    List<VoteStats.ModelCount> out = new ArrayList<>();
                    rs.forEach(r -> out.add(new VoteStats.ModelCount(r.getString(0), r.getLong(1))));
                    return out;
                });
        Uni<List<VoteStats.PairCount>> perPair = pool.query("SELECT least(model_a, model_b), greatest(model_a, model_b), "
                + "count(*) FROM vote.votes GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2").execute().map(rs -> {
                    List<VoteStats.PairCount> out = new ArrayList<>();
                    rs.forEach(r -> out.add(new VoteStats.PairCount(r.getString(0), r.getString(1), r.getLong(2))));
                    return out;
                });
        Uni<List<VoteStats.DayCount>> perDay = pool.query("SELECT coalesce(to_char(voted_at AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD'), 'unknown'), count(*) FROM vote.votes GROUP BY 1 ORDER BY 1").execute().map(rs -> {
                    List<VoteStats.DayCount> out = new ArrayList<>();
                    rs.forEach(r -> out.add(new VoteStats.DayCount(r.getString(0), r.getLong(1))));
                    return out;
                });
        return Uni.combine().all().unis(totals, perModel, perPair, perDay)
                .with((t, m, p, d) -> new VoteStats(t[0], t[1], m, p, d));
    }
}
