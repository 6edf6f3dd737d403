package dev.reelfarm.eval;

/** How an eval run ended; the CLI maps each to its exit code. */
public enum EvalOutcome {
  /** Every prompt was rendered and scored, whatever the accuracy. */
  COMPLETE,
  /** Some render jobs failed or were cancelled; the report covers the rest. */
  JOBS_FAILED,
  /** The farm died, stopped answering, timed out, or served an undecodable clip. */
  FARM_ERROR,
  /** The farm rejected a request: nothing was scored. */
  REJECTED
}
