package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.SubmitRateLimiter;
import dev.reelfarm.orchestrator.persistence.Database.PersistenceException;
import dev.reelfarm.orchestrator.policy.PolicyException;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.PromptRefusedException;
import dev.reelfarm.orchestrator.submission.QuotaExceededException;
import dev.reelfarm.orchestrator.submission.RefusedRequestException;
import dev.reelfarm.orchestrator.submission.TextRules;
import dev.reelfarm.orchestrator.submission.UnprocessableRequestException;
import dev.reelfarm.schema.api.ErrorBody;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps failures to status codes: the client's fault is a 4xx naming the field, never a 5xx. A 5xx
 * means the server is at fault; its body and its log line carry the same short random error id, so
 * a report of one finds the other.
 */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
  private static final SecureRandom IDS = new SecureRandom();

  @ServerExceptionMapper
  public Response invalid(InvalidRequestException e) {
    return json(400, new ErrorBody("invalid_request", e.field(), e.getMessage()));
  }

  @ServerExceptionMapper
  public Response unprocessable(UnprocessableRequestException e) {
    return json(422, new ErrorBody("unprocessable", e.field(), e.getMessage()));
  }

  /** A prompt the prompt policy refuses: 422 naming the field and the rule. */
  @ServerExceptionMapper
  public Response promptRefused(PromptRefusedException e) {
    return json(422, new ErrorBody("prompt_refused", e.field(), e.getMessage(), null, e.rule()));
  }

  /** A prompt policy that cannot be used as sent (the admin route): 400 naming the part. */
  @ServerExceptionMapper
  public Response badPolicy(PolicyException e) {
    return json(400, new ErrorBody("invalid_request", e.field(), e.getMessage()));
  }

  /** A request the job's state refuses (409) or naming what the job lacks (404), with its field. */
  @ServerExceptionMapper
  public Response refused(RefusedRequestException e) {
    return json(e.status(), new ErrorBody(HttpErrors.code(e.status()), e.field(), e.getMessage()));
  }

  /** Over a team quota: 429, when to ask again, and the limit named in {@code field}. */
  @ServerExceptionMapper
  public Response quota(QuotaExceededException e) {
    return Response.fromResponse(
            json(429, new ErrorBody("quota_exceeded", e.limit(), e.getMessage())))
        .header("Retry-After", e.retryAfterSeconds())
        .build();
  }

  /** Over a limit: 429 naming it, with when to retry. */
  @ServerExceptionMapper
  public Response rateLimited(SubmitRateLimiter.RateLimitedException e) {
    return Response.fromResponse(
            json(429, new ErrorBody("too_many_requests", null, e.getMessage())))
        .header("Retry-After", e.retryAfterSeconds())
        .build();
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) return serverFault(status, e);
    return json(status, new ErrorBody(HttpErrors.code(status), null, e.getMessage()));
  }

  @ServerExceptionMapper
  public Response unavailable(PersistenceException e) {
    String id = errorId();
    LOG.warnf(e, "database unavailable [error id %s]", id);
    return json(
        503,
        new ErrorBody("unavailable", null, "the job database is unavailable, retry shortly", id));
  }

  /** Anything else is a bug or a broken dependency: 500, logged with its stack trace and id. */
  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    return serverFault(500, e);
  }

  private static Response serverFault(int status, Throwable e) {
    String id = errorId();
    LOG.errorf(e, "HTTP %d: server fault [error id %s]", status, id);
    return json(
        status,
        new ErrorBody(
            HttpErrors.code(status),
            null,
            "internal error; the orchestrator's log has the details under error id " + id,
            id));
  }

  /** 8 hex digits: short enough to quote, random enough not to collide within one log. */
  static String errorId() {
    byte[] bytes = new byte[4];
    IDS.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** A JSON error response. */
  static Response json(int status, ErrorBody body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(safe(body)).build();
  }

  /** {@code body} with the client text it quotes made printable (see {@link TextRules}). */
  static ErrorBody safe(ErrorBody body) {
    return new ErrorBody(
        body.error(),
        TextRules.printable(body.field()),
        TextRules.printable(body.message()),
        body.errorId(),
        body.rule());
  }
}
