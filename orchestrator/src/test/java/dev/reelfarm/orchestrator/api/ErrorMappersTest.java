package dev.reelfarm.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.Database.PersistenceException;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.QuotaExceededException;
import dev.reelfarm.orchestrator.submission.UnprocessableRequestException;
import dev.reelfarm.schema.api.ErrorBody;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class ErrorMappersTest {
  private final ErrorMappers mappers = new ErrorMappers();

  @Test
  void aClientErrorIsA400NamingTheFieldWithNoErrorId() {
    Response r = mappers.invalid(new InvalidRequestException("steps", "must be between 1 and 100"));

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(r.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
    assertThat(body(r))
        .isEqualTo(
            new ErrorBody("invalid_request", "steps", "steps: must be between 1 and 100", null));
  }

  @Test
  void aReusedIdempotencyKeyIsA422NamingTheHeader() {
    Response r =
        mappers.unprocessable(
            new UnprocessableRequestException("Idempotency-Key", "used with another body"));

    assertThat(r.getStatus()).isEqualTo(422);
    assertThat(body(r))
        .isEqualTo(
            new ErrorBody("unprocessable", "Idempotency-Key", "used with another body", null));
  }

  @Test
  void aSubmissionOverAQuotaIsA429WithRetryAfterNamingTheLimit() {
    Response r =
        mappers.quota(
            new QuotaExceededException(
                "max-queued-jobs",
                "team a has 5 jobs queued",
                java.time.Duration.ofMillis(29_001)));

    assertThat(r.getStatus()).isEqualTo(429);
    assertThat(r.getHeaderString("Retry-After")).isEqualTo("30");
    assertThat(body(r))
        .isEqualTo(
            new ErrorBody("quota_exceeded", "max-queued-jobs", "team a has 5 jobs queued", null));
  }

  @Test
  void clientTextQuotedInAnErrorIsMadePrintable() {
    Response r = mappers.invalid(new InvalidRequestException("a\u0000\uD800", "unknown field"));

    assertThat(body(r).field()).isEqualTo("a\uFFFD\uFFFD");
    assertThat(body(r).message()).isEqualTo("a\uFFFD\uFFFD: unknown field");
  }

  @Test
  void httpErrorsKeepTheirStatusAsJson() {
    assertThat(mappers.web(new NotFoundException("no render x")).getStatus()).isEqualTo(404);
    assertThat(body(mappers.web(new NotFoundException("no render x"))).error())
        .isEqualTo("not_found");
    Response notAllowed = mappers.web(new NotAllowedException("GET"));
    assertThat(notAllowed.getStatus()).isEqualTo(405);
    assertThat(body(notAllowed).error()).isEqualTo("http_405");
    assertThat(body(notAllowed).errorId()).isNull();
    assertThat(mappers.web(new NotSupportedException()).getStatus()).isEqualTo(415);
  }

  @Test
  void aServerFaultIsA500WithAShortRandomErrorIdInItsBody() {
    ErrorBody first = body(mappers.unexpected(new IllegalStateException("bug")));
    ErrorBody second = body(mappers.unexpected(new IllegalStateException("bug")));

    assertThat(first.error()).isEqualTo("internal");
    assertThat(first.errorId()).matches("[0-9a-f]{8}").isNotEqualTo(second.errorId());
    assertThat(first.message()).contains(first.errorId()).doesNotContain("bug");
  }

  @Test
  void aWebExceptionWithA5xxStatusIsAServerFaultToo() {
    Response r = mappers.web(new ServiceUnavailableException());

    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(body(r).errorId()).matches("[0-9a-f]{8}");
  }

  @Test
  void anUnreachableDatabaseIsA503WithAnErrorId() {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
    PersistenceException down =
        catchThrowableOfType(
            PersistenceException.class, () -> new Database(nowhere).inTransaction(c -> 1));

    Response r = mappers.unavailable(down);

    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(body(r).error()).isEqualTo("unavailable");
    assertThat(body(r).errorId()).matches("[0-9a-f]{8}");
  }

  private static ErrorBody body(Response r) {
    return (ErrorBody) r.getEntity();
  }
}
