package dev.colosseum.router.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** One persisted, versioned router model (parameters in {@link dev.colosseum.router.core.RouterCodec} format). */
@Entity
@Table(name = "router_model")
public class RouterModelEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "router_model_seq")
    @SequenceGenerator(name = "router_model_seq", sequenceName = "router_model_seq", allocationSize = 50)
    public Long id;
    public String kind;
    public int version;
    public boolean active;
    public String source;
    public int comparisons;
    /** Model ids, strongest first, newline separated. */
    public String models;
    @Column(name = "vote_cursor")
    public String voteCursor;
    @Column(name = "trained_at")
    public Instant trainedAt;
    @Column(name = "train_seconds")
    public double trainSeconds;
    @Column(columnDefinition = "bytea")
    public byte[] blob;
}
