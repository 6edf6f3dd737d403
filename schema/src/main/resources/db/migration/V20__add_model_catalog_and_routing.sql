-- Why (issue 16): a farm serves several models. The orchestrator learns each bundle from the
-- heartbeats of the workers that have it loaded (model_bundle: one row per bundle name, the
-- latest report's version, checksum and facts), a job is pinned to the bundle it was planned with
-- (name, version, checksum: its chunks must all render with that bundle), and the dispatcher
-- routes a chunk only to a worker whose loaded bundle matches (worker.model_name/model_checksum).
-- Rows from before: jobs and workers keep a null checksum, and the name alone routes them.
CREATE TABLE model_bundle (
    name                   TEXT PRIMARY KEY,
    version                TEXT,
    checksum               TEXT        NOT NULL,
    native_width           INT         NOT NULL CHECK (native_width > 0),
    native_height          INT         NOT NULL CHECK (native_height > 0),
    native_fps             INT         NOT NULL CHECK (native_fps > 0),
    frames_per_chunk       INT         NOT NULL CHECK (frames_per_chunk > 0),
    -- pixel frames per latent frame of the VAE (1: it does not compress time); plans depend on it
    vae_temporal_scale     INT         NOT NULL DEFAULT 1 CHECK (vae_temporal_scale > 0),
    default_steps          INT         NOT NULL,
    default_guidance_scale DOUBLE PRECISION NOT NULL,
    test_fixture           BOOLEAN     NOT NULL DEFAULT false,
    reported_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE worker ADD COLUMN model_name TEXT;
ALTER TABLE worker ADD COLUMN model_checksum TEXT;
UPDATE worker SET model_name = split_part(model, '@', 1);

ALTER TABLE render_job ADD COLUMN model_version TEXT;
ALTER TABLE render_job ADD COLUMN model_checksum TEXT;
