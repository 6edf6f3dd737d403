-- Why: the leader removes a finished job's intermediate artifacts (chunk frames, latents,
-- previews) after reelfarm.retention.intermediates-hours and deletes published outbox rows after
-- reelfarm.retention.outbox-hours; intermediates_removed_at records that a job's are gone (its
-- video and poster stay). Adds a column with no default and two partial indexes: no table rewrite.
ALTER TABLE render_job ADD COLUMN intermediates_removed_at TIMESTAMPTZ;
CREATE INDEX render_job_retention_idx ON render_job (finished_at)
    WHERE intermediates_removed_at IS NULL AND status IN ('SUCCEEDED','FAILED','CANCELLED');
CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL;
