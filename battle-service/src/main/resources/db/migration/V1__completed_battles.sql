-- Battles whose last turn has finished: enough to show, continue and vote on them after a restart.
-- Written once per finished turn and once per vote; never on the token path.
CREATE TABLE completed_battle (
    id             text PRIMARY KEY,
    mode           text        NOT NULL,
    models         text[]      NOT NULL,  -- registry ids as served: side a, side b
    voter_id       text        NOT NULL,
    pairing_source text        NOT NULL,
    started_at     timestamptz NOT NULL,
    turns          jsonb       NOT NULL,  -- finished turns: prompt and, per side, text, status and timings
    voted          boolean     NOT NULL DEFAULT false,
    vote_result    jsonb,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX completed_battle_updated_at ON completed_battle (updated_at);
