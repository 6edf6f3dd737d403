package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.ErrorBody;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * JSON {@link ErrorBody} answers for the errors that Vert.x decides before any resource runs: no
 * route for the path or method, and a body over {@code quarkus.http.limits.max-body-size}
 * (Quarkus's own check answers 413 with an empty body, so this one runs just before it).
 */
@ApplicationScoped
public class HttpErrorRoutes {
  /** Statuses Vert.x may end a request with on its own; each gets a JSON body. */
  private static final int[] ROUTING_ERRORS = {400, 404, 405, 406, 413, 414, 415, 431};

  private final ObjectMapper mapper;
  private final long maxBodyBytes;

  public HttpErrorRoutes(
      ObjectMapper mapper,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
    this.mapper = mapper;
    this.maxBodyBytes = maxBodySize.asLongValue();
  }

  void install(@Observes Router router) {
    router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::limitBody);
    for (int status : ROUTING_ERRORS) {
      router.errorHandler(
          status,
          ctx ->
              send(
                  ctx,
                  status,
                  new ErrorBody(
                      HttpErrors.code(status),
                      null,
                      "HTTP "
                          + status
                          + " for "
                          + ctx.request().method()
                          + " "
                          + ctx.request().path())));
    }
  }

  private void limitBody(RoutingContext ctx) {
    String length = ctx.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
    if (length == null || !isOver(length)) {
      ctx.next();
      return;
    }
    // The unread body is not drained: the connection closes once the answer is out.
    ctx.response().putHeader(HttpHeaderNames.CONNECTION, "close");
    ctx.response().endHandler(done -> ctx.request().connection().close());
    send(
        ctx,
        413,
        new ErrorBody(
            HttpErrors.code(413),
            "body",
            "the request body is " + length + " bytes; at most " + maxBodyBytes + " are accepted"));
  }

  private boolean isOver(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // the HTTP codec has already refused a malformed Content-Length
    }
  }

  private void send(RoutingContext ctx, int status, ErrorBody body) {
    if (ctx.response().ended()) return;
    String json;
    try {
      json = mapper.writeValueAsString(ErrorMappers.safe(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ErrorBody of printable strings always serialises", e);
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .end(json);
  }
}
