package dev.reelfarm.cli;

/**
 * {@code worker --join} / {@code encoder --join} cannot join: the farm refused the token (or
 * joining is disabled there), or the local model bundle is not the farm's. The message says which
 * and what to do; {@link #exitCode()} is {@link ExitCodes#JOIN_REFUSED} or {@link
 * ExitCodes#BUNDLE_DIFFERS}.
 */
final class JoinRefusedException extends Exception {
  private final int exitCode;

  private JoinRefusedException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  static JoinRefusedException byFarm(String message) {
    return new JoinRefusedException(message, ExitCodes.JOIN_REFUSED);
  }

  static JoinRefusedException bundleDiffers(String message) {
    return new JoinRefusedException(message, ExitCodes.BUNDLE_DIFFERS);
  }

  int exitCode() {
    return exitCode;
  }
}
