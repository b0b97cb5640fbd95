-- vote-service owns schema "vote". JSON payloads are kept as text (written and read by the service).

CREATE TABLE models (
    id          varchar(128) PRIMARY KEY,
    historical  boolean      NOT NULL DEFAULT false,
    entry       text         NOT NULL,
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE votes (
    id                 bigserial    PRIMARY KEY,
    battle_id          varchar(64)  NOT NULL,
    idempotency_key    varchar(128) NOT NULL,
    request_hash       varchar(64)  NOT NULL,
    model_a            varchar(128) NOT NULL,
    model_b            varchar(128) NOT NULL,
    winner             varchar(16)  NOT NULL,
    mode               varchar(8)   NOT NULL,
    voter_id           varchar(128),
    battle_started_at  timestamptz,
    voted_at           timestamptz,
    turn               integer,
    language           varchar(64),
    categories         text         NOT NULL DEFAULT '[]',
    features_a         text,
    features_b         text,
    prompt_hash        varchar(64),
    source             varchar(64)  NOT NULL DEFAULT 'live',
    question_id        varchar(128),
    extra              text,
    excluded           boolean      NOT NULL DEFAULT false,
    exclusion_reasons  text         NOT NULL DEFAULT '[]',
    created_at         timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT votes_battle_id_key UNIQUE (battle_id),
    CONSTRAINT votes_idempotency_key_key UNIQUE (idempotency_key)
);
CREATE INDEX votes_voter_day_idx ON votes (voter_id, created_at);
CREATE INDEX votes_voted_at_idx ON votes (voted_at);
CREATE INDEX votes_prompt_hash_idx ON votes (prompt_hash);

-- conversations live apart from the votes so that listings never read them
CREATE TABLE conversations (
    vote_id         bigint PRIMARY KEY REFERENCES votes (id),
    conversation_a  text,
    conversation_b  text
);

-- the append-only log followed by other services. xid is the inserting transaction's id; readers only
-- serve rows whose xid is below the oldest running transaction (pg_snapshot_xmin), so the order
-- (xid, id) never gains an entry behind a cursor that was already handed out.
CREATE TABLE vote_log (
    id        bigserial   PRIMARY KEY,
    xid       bigint      NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    kind      varchar(16) NOT NULL,
    vote_id   bigint      NOT NULL REFERENCES votes (id),
    excluded  boolean     NOT NULL,
    reasons   text        NOT NULL DEFAULT '[]'
);
CREATE INDEX vote_log_xid_id_idx ON vote_log (xid, id);

-- one row per rule that excluded a vote, with the evidence
CREATE TABLE exclusions (
    id          bigserial    PRIMARY KEY,
    vote_id     bigint       NOT NULL REFERENCES votes (id),
    rule        varchar(32)  NOT NULL,
    detail      text         NOT NULL,
    decided_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT exclusions_vote_rule_key UNIQUE (vote_id, rule)
);
