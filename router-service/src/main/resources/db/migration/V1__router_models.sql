CREATE SEQUENCE router_model_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE router_model (
    id              bigint PRIMARY KEY,
    kind            varchar(32)  NOT NULL,
    version         integer      NOT NULL,
    active          boolean      NOT NULL,
    source          varchar(500) NOT NULL,
    comparisons     integer      NOT NULL,
    models          text         NOT NULL,
    vote_cursor     varchar(200),
    trained_at      timestamptz  NOT NULL,
    train_seconds   double precision NOT NULL,
    blob            bytea        NOT NULL,
    CONSTRAINT router_model_kind_version UNIQUE (kind, version)
);
CREATE INDEX router_model_kind_active ON router_model (kind, active);
