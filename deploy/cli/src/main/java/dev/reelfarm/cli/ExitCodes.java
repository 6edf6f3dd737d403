package dev.reelfarm.cli;

import dev.reelfarm.eval.EvalOutcome;
import dev.reelfarm.eval.EvalSetupException;
import dev.reelfarm.infra.ServiceStartException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Every exit code of {@code reelfarm}, and the one place that turns an exception into a message and
 * a code. Each command's help lists the codes it uses.
 */
final class ExitCodes
    implements IExitCodeExceptionMapper, IExecutionExceptionHandler, IParameterExceptionHandler {

  static final int OK = 0;

  /** The job (or some of the eval's jobs) failed or was cancelled; status: no such job. */
  static final int JOB_FAILED = 1;

  /** A wrong command line, or a request the farm rejected. */
  static final int USAGE = 2;

  /** The local farm did not start. */
  static final int START_FAILED = 3;

  /** The farm failed while working, stopped answering or timed out. */
  static final int FARM_ERROR = 4;

  /** {@code worker/encoder --join}: the farm refused the join token, or joining is disabled. */
  static final int JOIN_REFUSED = 5;

  /** {@code worker --join}: the local model bundle is not the farm's. */
  static final int BUNDLE_DIFFERS = 6;

  /** Ctrl-C (SIGINT) while the command waited. */
  static final int INTERRUPTED = 130;

  static int of(EvalOutcome outcome) {
    return switch (outcome) {
      case COMPLETE -> OK;
      case JOBS_FAILED -> JOB_FAILED;
      case FARM_ERROR -> FARM_ERROR;
      case REJECTED -> USAGE;
    };
  }

  @Override
  public int getExitCode(Throwable e) {
    if (e instanceof ParameterException || e instanceof EvalSetupException) return USAGE;
    if (e instanceof ServiceStartException) return START_FAILED;
    if (e instanceof InterruptedException) return INTERRUPTED;
    if (e instanceof JoinRefusedException refused) return refused.exitCode();
    return FARM_ERROR;
  }

  /** A wrong command line: what is wrong and where the help is, on stderr. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    if (cmd.getParent() == null
        && e instanceof UnmatchedArgumentException u
        && !u.getUnmatched().isEmpty()) {
      err.println("reelfarm: unknown command '" + u.getUnmatched().get(0) + "'");
      cmd.usage(err);
    } else {
      usageError(err, cmd.getCommandName(), e.getMessage());
    }
    err.flush();
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandName();
    if (e instanceof EvalSetupException) {
      usageError(err, name, e.getMessage());
    } else if (e instanceof ServiceStartException) {
      err.println("reelfarm: the local farm did not start: " + e.getMessage());
    } else if (e instanceof JoinRefusedException) {
      err.println("reelfarm " + name + ": " + e.getMessage());
    } else if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    } else {
      err.println("reelfarm " + name + ": " + e);
    }
    err.flush();
    return getExitCode(e);
  }

  private static void usageError(PrintWriter err, String command, String message) {
    err.println("reelfarm " + command + ": " + message);
    err.println("(reelfarm " + command + " --help shows the options)");
  }
}
