package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.persistence.Database.PersistenceException;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.ErrorBody;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps failures to status codes: the client's fault is a 4xx naming the field, never a 500. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response invalid(InvalidRequestException e) {
    return json(400, new ErrorBody("invalid_request", e.field(), e.getMessage()));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    return json(
        status,
        new ErrorBody(status == 404 ? "not_found" : "http_" + status, null, e.getMessage()));
  }

  @ServerExceptionMapper
  public Response unavailable(PersistenceException e) {
    LOG.warn("database unavailable", e);
    return json(
        503, new ErrorBody("unavailable", null, "the job database is unavailable, retry shortly"));
  }

  static Response json(int status, ErrorBody body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
