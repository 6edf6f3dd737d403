-- Why (issue 15, shot lists): studios queue scenes, not single clips. A batch is one request of
-- several shots: one render_job per shot (batch_id, batch_index), stored in one transaction with
-- the batch row. Its status is aggregated from its jobs when read; final_status is written once,
-- in the transaction of the change that finished it (the last shot's terminal event, the sequence's
-- result or a cancel), together with its batch.completed webhook deliveries, so the event is sent
-- exactly once per batch. A deliver = 'sequence' batch also gets one MP4 of its shots in order
-- (sequence_*), encoded by the encoder from the shots' frames once every shot has succeeded.
CREATE TABLE render_batch (
  id UUID PRIMARY KEY,
  team_id UUID NOT NULL REFERENCES team (id),
  deliver TEXT NOT NULL CHECK (deliver IN ('clips', 'sequence')),
  -- sequence only: how one shot meets the next, and the dissolve's length
  transition TEXT CHECK (transition IN ('cut', 'dissolve')),
  transition_seconds DOUBLE PRECISION CHECK (transition_seconds > 0),
  shot_count INT NOT NULL CHECK (shot_count > 0),
  -- the batch's own URL for batch.completed (signed with the farm's secret)
  webhook_url TEXT,
  cancel_requested_at TIMESTAMPTZ,
  sequence_status TEXT CHECK (sequence_status IN ('ENCODING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
  sequence_error TEXT,
  sequence_uri TEXT,
  sequence_size_bytes BIGINT,
  sequence_frames INT,
  sequence_duration_seconds DOUBLE PRECISION,
  sequence_encode_ms BIGINT,
  -- the plan the encoder followed: the first sequence frame of each shot, the dissolve's frames
  sequence_shot_starts INT[],
  sequence_transition_frames INT,
  final_status TEXT CHECK (final_status IN ('SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ
);
CREATE INDEX render_batch_team_created_idx ON render_batch (team_id, created_at DESC, id DESC);
CREATE INDEX render_batch_created_idx ON render_batch (created_at DESC, id DESC);

ALTER TABLE render_job
  ADD COLUMN batch_id UUID REFERENCES render_batch (id),
  ADD COLUMN batch_index INT;
CREATE UNIQUE INDEX render_job_batch_idx ON render_job (batch_id, batch_index)
  WHERE batch_id IS NOT NULL;

-- batch.completed belongs to a batch, not to one job
ALTER TABLE webhook_delivery
  ALTER COLUMN job_id DROP NOT NULL,
  ADD COLUMN batch_id UUID REFERENCES render_batch (id) ON DELETE CASCADE,
  ADD CONSTRAINT webhook_delivery_subject CHECK (job_id IS NOT NULL OR batch_id IS NOT NULL);
CREATE INDEX webhook_delivery_batch_idx ON webhook_delivery (batch_id, created_at)
  WHERE batch_id IS NOT NULL;

-- an Idempotency-Key of POST /api/v1/batches replays the batch (job_id: its first shot's job)
ALTER TABLE idempotency_key
  ADD COLUMN batch_id UUID REFERENCES render_batch (id) ON DELETE CASCADE;
