-- Why: a run may supersede another only if it belongs to a newer dispatch, so every dispatch of a
-- chunk gets an epoch (+1 each time) that the task carries and the worker echoes; run_epoch is the
-- epoch of the run the chunk follows now. A RUNNING chunk holds a lease that its run's progress
-- renews; the orchestrator supersedes a run whose lease lapsed.
ALTER TABLE chunk ADD COLUMN dispatch_epoch INT NOT NULL DEFAULT 0;
ALTER TABLE chunk ADD COLUMN run_epoch INT;
ALTER TABLE chunk ADD COLUMN lease_expires_at TIMESTAMPTZ;
CREATE INDEX chunk_lease_idx ON chunk (lease_expires_at) WHERE status = 'RUNNING';

-- A job in ENCODING without word from an encoder since encode_progress_at gets its encode task
-- again; a job that cannot be placed says why in waiting_reason.
ALTER TABLE render_job ADD COLUMN encode_progress_at TIMESTAMPTZ;
ALTER TABLE render_job ADD COLUMN waiting_reason TEXT;

-- Failure memory: every failed or lost run of a chunk, by worker. A worker with K failures in one
-- job is blocklisted for that job; a chunk that failed on K different workers fails its job.
CREATE TABLE chunk_failure (
    id        BIGSERIAL PRIMARY KEY,
    job_id    UUID        NOT NULL REFERENCES render_job (id) ON DELETE CASCADE,
    chunk_id  BIGINT      NOT NULL REFERENCES chunk (id) ON DELETE CASCADE,
    worker_id TEXT        NOT NULL,
    error     TEXT,
    failed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chunk_failure_job_worker_idx ON chunk_failure (job_id, worker_id);
CREATE INDEX chunk_failure_chunk_idx ON chunk_failure (chunk_id);

-- Quarantine: a worker that failed N chunks in a row is not dispatched to until it succeeds again
-- (a probe) or restarts; lost_at marks a worker whose heartbeat stopped and whose chunks were released.
ALTER TABLE worker ADD COLUMN consecutive_failures INT NOT NULL DEFAULT 0;
ALTER TABLE worker ADD COLUMN quarantined_at TIMESTAMPTZ;
ALTER TABLE worker ADD COLUMN quarantine_reason TEXT;
ALTER TABLE worker ADD COLUMN lost_at TIMESTAMPTZ;
