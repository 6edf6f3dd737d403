-- Why: PostgreSQL is the source of truth for every job, chunk, attempt, worker and artifact;
-- Kafka only transports. Chunk rows carry the fencing token (attempt + run_id) that drops stale results.

CREATE TABLE render_job (
    id                     UUID PRIMARY KEY,
    status                 TEXT        NOT NULL CHECK (status IN ('QUEUED','RUNNING','ENCODING','SUCCEEDED','FAILED','CANCELLED')),
    prompt                 TEXT        NOT NULL,
    negative_prompt        TEXT        NOT NULL DEFAULT '',
    duration_seconds       DOUBLE PRECISION NOT NULL,
    preset                 TEXT        NOT NULL,
    seed                   BIGINT      NOT NULL,
    steps                  INT         NOT NULL,
    guidance_scale         DOUBLE PRECISION NOT NULL,
    priority               INT         NOT NULL DEFAULT 0,
    mode                   TEXT        NOT NULL,
    model_name             TEXT        NOT NULL,
    native_fps             INT         NOT NULL,
    native_width           INT         NOT NULL,
    native_height          INT         NOT NULL,
    total_frames           INT         NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at             TIMESTAMPTZ,
    encoding_started_at    TIMESTAMPTZ,
    finished_at            TIMESTAMPTZ,
    video_uri              TEXT,
    poster_uri             TEXT,
    video_size_bytes       BIGINT,
    video_duration_seconds DOUBLE PRECISION,
    video_frames           INT,
    encode_ms              BIGINT,
    error                  TEXT
);
CREATE INDEX render_job_created_idx ON render_job (created_at DESC);
CREATE INDEX render_job_status_idx ON render_job (status, created_at DESC);

CREATE TABLE chunk (
    id             BIGSERIAL PRIMARY KEY,
    job_id         UUID        NOT NULL REFERENCES render_job (id) ON DELETE CASCADE,
    chunk_index    INT         NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('PENDING','READY','DISPATCHED','RUNNING','DONE','FAILED','CANCELLED')),
    attempt        INT         NOT NULL DEFAULT 0,
    run_id         UUID,
    worker_id      TEXT,
    window_start   INT         NOT NULL,
    window_frames  INT         NOT NULL,
    owned_start    INT         NOT NULL,
    owned_end      INT         NOT NULL,
    depends_on     INT[]       NOT NULL DEFAULT '{}',
    context_frames INT[]       NOT NULL DEFAULT '{}',
    step           INT         NOT NULL DEFAULT 0,
    steps          INT         NOT NULL,
    frames_uri     TEXT,
    latents_uri    TEXT,
    error          TEXT,
    dispatched_at  TIMESTAMPTZ,
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    text_ms        BIGINT,
    denoise_ms     BIGINT,
    decode_ms      BIGINT,
    UNIQUE (job_id, chunk_index)
);
CREATE INDEX chunk_status_idx ON chunk (status);

CREATE TABLE worker (
    id                TEXT PRIMARY KEY,
    model             TEXT        NOT NULL,
    device            TEXT        NOT NULL,
    host              TEXT,
    pid               BIGINT,
    current_job_id    UUID,
    current_chunk_id  BIGINT,
    started_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Transactional outbox: a message is written with the state change that causes it and relayed afterwards.
CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    topic        TEXT        NOT NULL,
    message_key  TEXT,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE job_event (
    id         BIGSERIAL PRIMARY KEY,
    job_id     UUID        NOT NULL REFERENCES render_job (id) ON DELETE CASCADE,
    seq        INT         NOT NULL,
    type       TEXT        NOT NULL,
    payload    TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (job_id, seq)
);
