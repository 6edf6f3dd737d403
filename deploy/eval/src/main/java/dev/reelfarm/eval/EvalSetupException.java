package dev.reelfarm.eval;

/** A wrong eval set-up (an option, the prompt file, the palette): nothing was rendered. */
public final class EvalSetupException extends RuntimeException {
  public EvalSetupException(String message) {
    super(message);
  }
}
