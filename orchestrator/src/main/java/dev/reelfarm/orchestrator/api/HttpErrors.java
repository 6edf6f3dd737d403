package dev.reelfarm.orchestrator.api;

/** The machine-readable {@code error} code of an HTTP status without a more specific one. */
final class HttpErrors {
  private HttpErrors() {}

  static String code(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 413 -> "too_large";
      case 429 -> "too_many_requests";
      case 500 -> "internal";
      case 503 -> "unavailable";
      default -> "http_" + status;
    };
  }
}
