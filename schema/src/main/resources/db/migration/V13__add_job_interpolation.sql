-- Why (issue 16): a request may choose how the encoder reaches the preset's frame rate
-- (motion, blend or repeat); null keeps the preset's default. The encode task carries it.
ALTER TABLE render_job ADD COLUMN interpolation TEXT
  CHECK (interpolation IN ('motion', 'blend', 'repeat'));
