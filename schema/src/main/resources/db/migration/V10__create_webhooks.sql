-- Why (issue 15): clients are called back when their jobs finish instead of polling. A job may
-- name its own webhook URL; a team registers endpoints with an event filter. Deliveries are rows
-- written in the transaction of the job's terminal transition (a transactional outbox: at least
-- once, across restarts), sent by the leader, signed per the Standard Webhooks spec, retried with
-- backoff; every attempt is kept so a client can see what was sent and what its server answered.
ALTER TABLE render_job ADD COLUMN webhook_url TEXT;

CREATE TABLE webhook_endpoint (
  id UUID PRIMARY KEY,
  team_id UUID NOT NULL REFERENCES team (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  -- whsec_ + base64 of 24 random bytes: the HMAC key, shown to the client at creation
  secret TEXT NOT NULL,
  events TEXT[] NOT NULL CHECK (
    cardinality(events) > 0
    AND events <@ ARRAY['render.succeeded','render.failed','render.cancelled','render.progress',
                        'batch.completed']::TEXT[]),
  -- render.progress at most once per job this often (null: the endpoint gets no progress)
  progress_interval_seconds INT CHECK (progress_interval_seconds > 0),
  description TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoint_team_idx ON webhook_endpoint (team_id);

CREATE TABLE webhook_delivery (
  -- the webhook-id header: the same on every attempt, so a receiver can drop repeats
  id UUID PRIMARY KEY,
  job_id UUID NOT NULL REFERENCES render_job (id) ON DELETE CASCADE,
  -- null: the job's own webhook URL (signed with the farm's secret)
  endpoint_id UUID REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'GAVE_UP')),
  -- attempts started; a claim counts one before it sends (an attempt cut short by a crash counts)
  attempts INT NOT NULL DEFAULT 0,
  -- when it is due; a claim moves it past the send's timeout, so a crashed sender's row comes back
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ
);
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_job_idx ON webhook_delivery (job_id, created_at);
CREATE INDEX webhook_delivery_endpoint_idx ON webhook_delivery (endpoint_id, created_at);

CREATE TABLE webhook_attempt (
  delivery_id UUID NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
  attempt INT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  duration_ms BIGINT NOT NULL,
  -- null: no HTTP answer (refused address, connection error, timeout: see error)
  status_code INT,
  error TEXT,
  PRIMARY KEY (delivery_id, attempt)
);
