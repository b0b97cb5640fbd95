-- Several ranking-service replicas share this schema. Each follows vote-service's log on its own and commits
-- every page under a row lock on follower_state: only the items beyond the stored cursor are written, so a
-- vote is stored once however many replicas saw it, and ingest_order (now from a sequence, taken under that
-- lock) stays in log order for every reader.
CREATE SEQUENCE vote_ingest_order_seq OWNED BY vote.ingest_order;
SELECT setval('vote_ingest_order_seq', coalesce((SELECT max(ingest_order) FROM vote), 0) + 1, false);
ALTER TABLE vote ALTER COLUMN ingest_order SET DEFAULT nextval('vote_ingest_order_seq');
