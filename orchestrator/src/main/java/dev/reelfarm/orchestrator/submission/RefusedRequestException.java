package dev.reelfarm.orchestrator.submission;

/**
 * A well-formed request the job's state refuses (409: e.g. re-rendering a chunk of a job that is
 * still running) or that names something the job does not have (404: e.g. a chunk index), with the
 * field at fault.
 */
public final class RefusedRequestException extends RuntimeException {
  private final int status;
  private final String field;

  private RefusedRequestException(int status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  /** 409: the job's state does not allow it now. */
  public static RefusedRequestException conflict(String field, String message) {
    return new RefusedRequestException(409, field, message);
  }

  /** 404: the job has no such thing. */
  public static RefusedRequestException notFound(String field, String message) {
    return new RefusedRequestException(404, field, message);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }
}
