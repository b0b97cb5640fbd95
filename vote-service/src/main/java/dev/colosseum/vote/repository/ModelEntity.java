package dev.colosseum.vote.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A model registry entry (the full entry kept as JSON text). */
@Entity
@Table(name = "models", schema = "vote")
public class ModelEntity extends PanacheEntityBase {
    @Id
    @Column(length = 128)
    public String id;

    @Column(nullable = false)
    public boolean historical;

    @Column(nullable = false, columnDefinition = "text")
    public String entry;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
