-- Why (issue 14, fair share and quotas): the dispatcher compares the teams' chunk-seconds over a
-- sliding window and a submission checks a team's GPU-seconds today, both from the chunks that
-- finished since some instant; without this index each would scan every chunk ever rendered.
CREATE INDEX chunk_finished_idx ON chunk (finished_at) WHERE finished_at IS NOT NULL;
