package dev.colosseum.vote.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The conversations of one vote, stored apart from the vote row. */
@Entity
@Table(name = "conversations", schema = "vote")
public class ConversationEntity extends PanacheEntityBase {
    @Id
    @Column(name = "vote_id")
    public Long voteId;

    @Column(name = "conversation_a", columnDefinition = "text")
    public String conversationA;

    @Column(name = "conversation_b", columnDefinition = "text")
    public String conversationB;
}
