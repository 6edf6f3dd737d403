-- Why (issue 15, queue control): a job's priority may change while it is open (PATCH), a finished
-- job may be retried as a new job that links back to it, and one chunk of a succeeded job may be
-- re-rendered with a seed of its own, which re-encodes the clip as a new version of its video.
-- Locks: the ALTERs take ACCESS EXCLUSIVE on render_job and chunk briefly (nullable columns and a
-- constant default: no table rewrite).

-- The job this one retries (POST /renders/{id}/retry); the link goes when the original is deleted.
ALTER TABLE render_job ADD COLUMN retry_of UUID REFERENCES render_job (id) ON DELETE SET NULL;
-- The version of the video the job is encoding or last delivered: 1 is the first render, each
-- chunk re-render adds one. An encoder's report of another version is dropped.
ALTER TABLE render_job ADD COLUMN video_version INT NOT NULL DEFAULT 1 CHECK (video_version >= 1);
-- A re-rendered chunk's own noise seed for the frames it renders (null: the job's seed).
ALTER TABLE chunk ADD COLUMN seed_override BIGINT;

-- Every version of a job's video. A re-render writes its row when it starts (video_uri null
-- until the encoder delivers); version 1 is written when the first video is.
CREATE TABLE render_video (
  job_id UUID NOT NULL REFERENCES render_job (id) ON DELETE CASCADE,
  version INT NOT NULL CHECK (version >= 1),
  -- the chunk re-rendered for this version and its seed (null for version 1)
  chunk_index INT,
  chunk_seed BIGINT,
  video_uri TEXT,
  poster_uri TEXT,
  size_bytes BIGINT,
  duration_seconds DOUBLE PRECISION,
  frames INT,
  encode_ms BIGINT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  PRIMARY KEY (job_id, version)
);

INSERT INTO render_video (job_id, version, video_uri, poster_uri, size_bytes, duration_seconds,
                          frames, encode_ms, created_at, finished_at)
SELECT id, 1, video_uri, poster_uri, video_size_bytes, video_duration_seconds, video_frames,
       encode_ms, coalesce(finished_at, created_at), finished_at
FROM render_job WHERE video_uri IS NOT NULL;
