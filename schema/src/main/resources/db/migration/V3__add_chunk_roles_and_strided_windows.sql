-- Why: anchored plans have anchor chunks whose window is a strided set of keyframes, not a
-- consecutive range; infill chunks fill between them. The window's global frames are stored
-- explicitly so dispatch can point each context frame at the latents that hold it.
ALTER TABLE chunk ADD COLUMN role TEXT NOT NULL DEFAULT 'WINDOW' CHECK (role IN ('WINDOW','ANCHOR','INFILL'));
ALTER TABLE chunk ADD COLUMN frames INT[];
UPDATE chunk SET frames = ARRAY(SELECT generate_series(window_start, window_start + window_frames - 1));
ALTER TABLE chunk ALTER COLUMN frames SET NOT NULL;
