package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.ErrorBody;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * JSON {@link ErrorBody} answers for the errors that Vert.x decides before any resource runs: no
 * route for the path or method, a path that does not decode, and a body over {@code
 * quarkus.http.limits.max-body-size} (Quarkus's own check answers 413 with an empty body, so this
 * one runs just before it). Errors of the HTTP codec itself (414 for a request line over 4 KiB, 431
 * for headers over 20 KiB) are answered by Vert.x before any route, without a body.
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
    router
        .route()
        .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
        .handler(this::refuseHeadOfStream);
    // A client error failed on the way to a resource (e.g. a path that does not decode): before
    // Quarkus's last-resort handler, which would answer it with an empty body.
    router
        .route()
        .order(Integer.MIN_VALUE)
        .failureHandler(
            ctx -> {
              if (ctx.statusCode() >= 400 && ctx.statusCode() < 500)
                routingError(ctx, ctx.statusCode());
              else ctx.next();
            });
    for (int status : ROUTING_ERRORS) router.errorHandler(status, ctx -> routingError(ctx, status));
  }

  private void routingError(RoutingContext ctx, int status) {
    String path = ctx.request().path();
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
                + (path == null ? "" : " " + path)));
  }

  /**
   * HEAD of an event stream: JAX-RS would run the GET, whose stream never ends, and the connection
   * would stay taken by a response the client thinks complete (the next request on it hangs).
   */
  private void refuseHeadOfStream(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.HEAD || !ctx.request().path().endsWith("/events")) {
      ctx.next();
      return;
    }
    ctx.response().putHeader(HttpHeaderNames.ALLOW, "GET");
    send(ctx, 405, new ErrorBody(HttpErrors.code(405), null, "an event stream has no HEAD"));
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
