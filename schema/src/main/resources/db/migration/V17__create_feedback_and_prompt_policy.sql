-- Why (issue 15, items 8 and 9): people rate finished renders so the model can be improved from
-- their judgement, and an operator refuses prompts by policy before any job exists.
-- render_feedback: one row per render and API key (a second rating from the same key replaces the
-- first); it belongs to the render's team, whose export it is in. team_prompt_policy: the rules a
-- team's prompts are checked against on top of the farm's, replaced as a whole by an admin.

CREATE TABLE render_feedback (
  id UUID PRIMARY KEY,
  job_id UUID NOT NULL REFERENCES render_job (id) ON DELETE CASCADE,
  team_id UUID NOT NULL REFERENCES team (id) ON DELETE CASCADE,
  -- the API key that gave it; null when auth is off (then one feedback per render)
  key_id UUID,
  rating SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
  tags TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 10),
  comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
  -- the farm's model bundle when the feedback was given, if it is the render's model (else null)
  model_version TEXT,
  model_checksum TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One feedback per render and key; an expression, since keys are null when auth is off.
CREATE UNIQUE INDEX render_feedback_job_key_idx
  ON render_feedback (job_id, (COALESCE(key_id, '00000000-0000-0000-0000-000000000000'::uuid)));
-- The export pages by (updated_at, id), of one team or of all.
CREATE INDEX render_feedback_team_updated_idx ON render_feedback (team_id, updated_at, id);
CREATE INDEX render_feedback_updated_idx ON render_feedback (updated_at, id);

CREATE TABLE team_prompt_policy (
  team_id UUID PRIMARY KEY REFERENCES team (id) ON DELETE CASCADE,
  -- [{id, terms, patterns, message}], validated by the orchestrator (patterns compile)
  rules JSONB NOT NULL CHECK (jsonb_typeof(rules) = 'array'),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
