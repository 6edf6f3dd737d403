package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Authenticator;
import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.OwnCredential;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.ErrorBody;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.Method;
import java.security.Principal;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * API keys on every route of the API (REST and SSE): 401 with {@code WWW-Authenticate: Bearer} for
 * no, a bad or a revoked key, 403 naming the scope a key lacks. The caller is then the request's
 * {@link SecurityContext} principal. Health, metrics, OpenAPI and the dashboard's static files are
 * not JAX-RS routes and stay open.
 */
public class AuthFilter {
  /** The query parameter of an access token (see {@code AccessTokens}). */
  static final String ACCESS_PARAM = "access";

  private final Authenticator authenticator;

  public AuthFilter(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @ServerRequestFilter
  public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
    Method method = resource.getResourceMethod();
    if (method == null
        || !method.getDeclaringClass().getPackageName().startsWith("dev.reelfarm")
        || method.getDeclaringClass().isAnnotationPresent(OwnCredential.class))
      return Uni.createFrom().nullItem();
    ApiScope needed = required(method);
    if (!authenticator.enabled())
      return Uni.createFrom().item(admit(request, Caller.AUTH_OFF, needed));
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    // <img>, <video> and EventSource cannot send a header: a GET may carry a read token instead.
    String token =
        header == null && "GET".equals(request.getMethod())
            ? request.getUriInfo().getQueryParameters().getFirst(ACCESS_PARAM)
            : null;
    // The key lookup is JDBC: off the event loop (SSE routes are not blocking routes).
    return Uni.createFrom()
        .item(
            () ->
                token != null
                    ? authenticator.authenticateToken(token)
                    : authenticator.authenticate(header))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(
            result ->
                result.caller() == null
                    ? unauthorized(result.refusal(), header != null || token != null)
                    : admit(request, result.caller(), needed));
  }

  /** The caller of a request this filter admitted. */
  public static Caller caller(SecurityContext security) {
    if (security.getUserPrincipal() instanceof Caller caller) return caller;
    throw new IllegalStateException("no caller: the route is not behind AuthFilter");
  }

  private static Response admit(ContainerRequestContext request, Caller caller, ApiScope needed) {
    if (!caller.has(needed)) {
      return ErrorMappers.json(
          403,
          new ErrorBody(
              "forbidden",
              null,
              "this API key lacks the '" + needed.id() + "' scope that this route needs"));
    }
    request.setSecurityContext(new CallerContext(caller));
    return null;
  }

  private static Response unauthorized(String message, boolean sentAKey) {
    Response r = ErrorMappers.json(401, new ErrorBody("unauthorized", "Authorization", message));
    String challenge = "Bearer realm=\"reelfarm\"" + (sentAKey ? ", error=\"invalid_token\"" : "");
    return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
  }

  private static ApiScope required(Method method) {
    RequiresScope scope = method.getAnnotation(RequiresScope.class);
    if (scope == null) scope = method.getDeclaringClass().getAnnotation(RequiresScope.class);
    return scope == null ? ApiScope.ADMIN : scope.value();
  }

  private record CallerContext(Caller caller) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
      return ApiScope.find(role).map(caller::has).orElse(false);
    }

    @Override
    public boolean isSecure() {
      return false;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
