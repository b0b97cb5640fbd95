-- ranking-service's own copy of what it has ingested from vote-service's log.
-- The follower writes a page of votes, the exclusion changes and the new cursor in ONE transaction,
-- so after a restart the in-memory statistics are rebuilt from exactly the votes counted before.

CREATE TABLE follower_state (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    log_cursor  text,
    ingested    bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO follower_state (id, log_cursor, ingested) VALUES (1, NULL, 0);

-- one row per anonymous vote seen in the log (named-mode votes are never counted and not kept)
CREATE TABLE vote (
    id                bigint      PRIMARY KEY,           -- vote-service's vote id
    battle_id         text        NOT NULL,
    model_a           text        NOT NULL,
    model_b           text        NOT NULL,
    outcome           smallint    NOT NULL,              -- 0 model_a, 1 model_b, 2 tie, 3 tie (bothbad)
    voted_at          timestamptz NOT NULL,
    turn              integer,
    language          text,
    categories        text[]      NOT NULL,
    features_a        jsonb,
    features_b        jsonb,
    excluded          boolean     NOT NULL,
    exclusion_reasons text[]      NOT NULL,
    ingest_order      bigint      NOT NULL
);
CREATE INDEX vote_ingest_order_idx ON vote (ingest_order);
