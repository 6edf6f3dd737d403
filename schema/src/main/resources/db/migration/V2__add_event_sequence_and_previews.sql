-- Why: SSE clients resume with Last-Event-ID, so each job numbers its events 1, 2, 3, ... without
-- gaps; the counter lives on the job row, whose lock serialises a job's event appends.
-- Chunks remember their latest preview image for dashboards.
ALTER TABLE render_job ADD COLUMN event_seq INT NOT NULL DEFAULT 0;
ALTER TABLE chunk ADD COLUMN preview_uri TEXT;
CREATE INDEX job_event_job_seq_idx ON job_event (job_id, seq);
