-- Why: a client that retries POST /api/v1/renders after a timeout must not get a second job. A
-- request with an Idempotency-Key claims (key_scope, idempotency_key) in the transaction that
-- stores its job; a concurrent or later request with the same key reads the claim and replays the
-- stored response instead (the primary key makes "exactly one job per key" PostgreSQL's job, for
-- any number of orchestrators). key_scope is the key's namespace: '' until teams exist (issue 14),
-- then the team's id, so two teams' keys never collide.
CREATE TABLE idempotency_key (
  key_scope TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT NOT NULL,
  -- SHA-256 (hex) of the request's canonical JSON: the same key with another body is refused
  request_hash TEXT NOT NULL,
  -- the job and the response it got; null only inside the claiming transaction (the claim is
  -- inserted before the job it names, and other transactions wait for its commit)
  job_id UUID REFERENCES render_job (id) ON DELETE CASCADE,
  response_status INT,
  response_body TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (key_scope, idempotency_key)
);
CREATE INDEX idempotency_key_expires_idx ON idempotency_key (expires_at);
CREATE INDEX idempotency_key_job_idx ON idempotency_key (job_id);
