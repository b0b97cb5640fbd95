-- Per-voter daily vote counter. Live votes increment it in the same statement that stores the vote, with
-- INSERT ... ON CONFLICT DO UPDATE ... WHERE votes < cap: the row lock makes the cap exact under concurrency.
CREATE TABLE voter_days (
    voter_id  varchar(128) NOT NULL,
    day       date         NOT NULL,
    votes     integer      NOT NULL,
    PRIMARY KEY (voter_id, day)
);

INSERT INTO voter_days (voter_id, day, votes)
SELECT voter_id, (created_at AT TIME ZONE 'UTC')::date, count(*)
FROM votes
WHERE voter_id IS NOT NULL AND source = 'live' AND created_at >= now() - interval '2 days'
GROUP BY 1, 2;

-- the daily cap no longer counts votes, and no query looks votes up by prompt hash: fewer indexes per insert
DROP INDEX votes_voter_day_idx;
DROP INDEX votes_prompt_hash_idx;

-- exclusions become an append-only history: a later hygiene pass may lift a rule (action 'lift') or apply it
-- again; the vote's current reasons stay in votes.exclusion_reasons
ALTER TABLE exclusions DROP CONSTRAINT exclusions_vote_rule_key;
ALTER TABLE exclusions ADD COLUMN action varchar(8) NOT NULL DEFAULT 'exclude';
CREATE INDEX exclusions_vote_idx ON exclusions (vote_id, id);
