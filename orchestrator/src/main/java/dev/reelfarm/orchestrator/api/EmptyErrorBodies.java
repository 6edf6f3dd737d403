package dev.reelfarm.orchestrator.api;

import dev.reelfarm.schema.api.ErrorBody;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives an error a resource answers without a body (416 for an unsatisfiable Range, for one) the
 * JSON {@link ErrorBody} every API error has.
 */
public class EmptyErrorBodies {

  @ServerResponseFilter
  public void addBody(ContainerRequestContext request, ContainerResponseContext response) {
    int status = response.getStatus();
    if (status < 400 || response.hasEntity() || "HEAD".equals(request.getMethod())) return;
    response.setEntity(
        ErrorMappers.safe(
            new ErrorBody(
                HttpErrors.code(status),
                status == 416 ? "Range" : null,
                "HTTP "
                    + status
                    + " for "
                    + request.getMethod()
                    + " "
                    + request.getUriInfo().getPath())),
        null,
        MediaType.APPLICATION_JSON_TYPE);
  }
}
