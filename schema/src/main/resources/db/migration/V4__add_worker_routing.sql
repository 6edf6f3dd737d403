-- Why: a chunk task keyed by hash lands on whichever worker owns that partition, busy or not, and
-- one job's chunks queued up behind one worker while another idled. Workers now report the
-- task partitions they own; the dispatcher sends each READY chunk, longest remaining critical path
-- first, to a partition of an idle worker and remembers which worker it targeted.
ALTER TABLE worker ADD COLUMN task_partitions INT[] NOT NULL DEFAULT '{}';
ALTER TABLE chunk ADD COLUMN critical_path INT NOT NULL DEFAULT 1;
ALTER TABLE chunk ADD COLUMN target_worker TEXT;
ALTER TABLE outbox ADD COLUMN partition_no INT;
