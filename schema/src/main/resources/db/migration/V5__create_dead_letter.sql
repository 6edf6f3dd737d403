-- Why: one malformed Kafka record used to kill workers or stall the event consumer. Every consumer
-- now copies such a record to reelfarm.dead-letters and goes on; the orchestrator keeps the copies
-- here for GET /api/v1/dead-letters. A record is kept once per consumer group that set it aside
-- (a redelivered dead letter is not stored twice).
CREATE TABLE dead_letter (
  id BIGSERIAL PRIMARY KEY,
  source_topic TEXT NOT NULL,
  source_partition INT NOT NULL,
  source_offset BIGINT NOT NULL,
  consumer_group TEXT NOT NULL,
  service TEXT NOT NULL,
  reason TEXT NOT NULL,
  record_key TEXT,
  -- the original value: as text when it is UTF-8 (without NUL), else base64; null when it had none
  value TEXT,
  value_encoding TEXT NOT NULL CHECK (value_encoding IN ('utf8', 'base64', 'none')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (source_topic, source_partition, source_offset, consumer_group)
);
