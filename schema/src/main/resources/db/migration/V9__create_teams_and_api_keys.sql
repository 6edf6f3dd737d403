-- Why (issue 14): a farm is shared by teams. A team owns jobs and has a fair-share weight and
-- quotas; an API key belongs to a team, carries scopes, and is stored only as a hash (SHA-256 of
-- the random key; the key itself is shown once at creation). Jobs submitted before teams existed,
-- and jobs of a farm run with auth explicitly off, belong to the built-in team 'default'.
CREATE TABLE team (
  id UUID PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  -- share of contended workers relative to other teams with queued work
  weight INT NOT NULL DEFAULT 1 CHECK (weight > 0),
  -- quotas; null = unlimited
  max_concurrent_chunks INT CHECK (max_concurrent_chunks > 0),
  max_queued_jobs INT CHECK (max_queued_jobs > 0),
  gpu_seconds_per_day BIGINT CHECK (gpu_seconds_per_day > 0),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO team (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'default');

CREATE TABLE api_key (
  id UUID PRIMARY KEY,
  team_id UUID NOT NULL REFERENCES team (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  -- SHA-256 (hex) of the key; lookups go by hash, the comparison is constant-time in the app
  key_hash TEXT NOT NULL UNIQUE,
  -- the key's first characters, shown in listings so a person can tell keys apart
  key_prefix TEXT NOT NULL,
  scopes TEXT[] NOT NULL CHECK (scopes <@ ARRAY['submit','read','cancel','admin']::TEXT[]),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_used_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX api_key_team_idx ON api_key (team_id);

ALTER TABLE render_job
  ADD COLUMN team_id UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001'
  REFERENCES team (id);
CREATE INDEX render_job_team_created_idx ON render_job (team_id, created_at DESC);

-- Who did what and when: submissions, cancellations, team/key/quota changes.
CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- the acting key and its team; null when auth is off
  actor_key_id UUID,
  actor_team_id UUID,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  detail JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
