package dev.colosseum.vote.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One decision about one vote: a rule applied ("exclude") or lifted ("lift"), with its evidence. */
@Entity
@Table(name = "exclusions", schema = "vote")
public class ExclusionEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "vote_id", nullable = false)
    public Long voteId;

    @Column(nullable = false, length = 32)
    public String rule;

    @Column(nullable = false, length = 8)
    public String action;

    @Column(nullable = false, columnDefinition = "text")
    public String detail;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;
}
