-- Why: the per-key submission rate limit lived in each orchestrator replica's memory, so with N
-- replicas behind a balancer a key got N times its rate. One row per key (or team, for callers
-- without a key) holds its token bucket; a submission takes a token under the row's lock.
-- UNLOGGED: a bucket lost in a crash comes back full, which only forgives a burst, and the hot
-- row's updates skip the write-ahead log.
CREATE UNLOGGED TABLE submit_rate_bucket (
  subject UUID PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL CHECK (tokens >= 0),
  refilled_at TIMESTAMPTZ NOT NULL
);
