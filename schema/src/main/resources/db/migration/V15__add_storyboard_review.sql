-- Why (issue 15, storyboard approval): a request may ask for `review: keyframes`. Its anchor pass
-- renders the keyframes, then the job waits in AWAITING_APPROVAL (a new job state) until a person
-- approves them (the infills render) or rejects them (the job is cancelled, or the anchors are
-- rendered again with a new seed). Infill chunks of a job whose review is not approved are never
-- released to READY (RenderRepository's release of dependants checks render_review), so no infill
-- can be dispatched before the approval, whatever else happens to the job.
ALTER TABLE render_job DROP CONSTRAINT render_job_status_check;
ALTER TABLE render_job ADD CONSTRAINT render_job_status_check CHECK (status IN
  ('QUEUED','RUNNING','AWAITING_APPROVAL','ENCODING','SUCCEEDED','FAILED','CANCELLED'));

-- One row per job that asked for a review; none for every other job.
CREATE TABLE render_review (
  job_id UUID PRIMARY KEY REFERENCES render_job (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('keyframes')),
  -- the anchor pass shown (1, then one more per reroll)
  round INT NOT NULL DEFAULT 1 CHECK (round > 0),
  -- since when the current storyboard waits (null: not waiting now)
  awaiting_since TIMESTAMPTZ,
  -- time spent waiting over every round, without the current wait
  waited_ms BIGINT NOT NULL DEFAULT 0,
  -- null until approved: the infills stay PENDING
  approved_at TIMESTAMPTZ
);

-- A reroll renders the anchor chunks again, so their rows get new run times; the discarded runs'
-- times are kept here so that a team's chunk-seconds (fair share, GPU-seconds per day) still count
-- the work the farm did for it.
CREATE TABLE discarded_chunk_run (
  id BIGSERIAL PRIMARY KEY,
  chunk_id BIGINT NOT NULL REFERENCES chunk (id) ON DELETE CASCADE,
  job_id UUID NOT NULL REFERENCES render_job (id) ON DELETE CASCADE,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX discarded_chunk_run_finished_idx ON discarded_chunk_run (finished_at);

-- The awaiting-approval event is a webhook event a team endpoint may subscribe to.
ALTER TABLE webhook_endpoint DROP CONSTRAINT webhook_endpoint_events_check;
ALTER TABLE webhook_endpoint ADD CONSTRAINT webhook_endpoint_events_check CHECK (
  cardinality(events) > 0
  AND events <@ ARRAY['render.succeeded','render.failed','render.cancelled','render.progress',
                      'render.awaiting_approval','batch.completed']::TEXT[]);
