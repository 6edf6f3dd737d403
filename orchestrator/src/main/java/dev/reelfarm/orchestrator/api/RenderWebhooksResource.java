package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.WebhookRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.WebhookDeliveryList;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The webhook deliveries one render caused (its own webhook and its team's endpoints), for a caller
 * who may see the render (404 otherwise).
 */
@Path("/api/v1/renders/{id}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class RenderWebhooksResource {
  private final Database db;
  private final WebhookRepository repo;
  private final RenderQueries renders;

  public RenderWebhooksResource(
      Database db, WebhookRepository repo, RenderRepository jobs, JobEta eta) {
    this.db = db;
    this.repo = repo;
    this.renders = new RenderQueries(db, jobs, eta);
  }

  @GET
  @RequiresScope(ApiScope.READ)
  @Operation(
      operationId = "listRenderWebhookDeliveries",
      summary = "A render's webhook deliveries",
      description =
          "Newest first, each with every attempt (status code, error, duration); `id` is the"
              + " `webhook-id` the receiver saw.")
  @APIResponse(
      responseCode = "200",
      description = "The deliveries",
      content = @Content(schema = @Schema(implementation = WebhookDeliveryList.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public WebhookDeliveryList deliveries(
      @PathParam("id") @Parameter(ref = "RenderId") String id, @Context SecurityContext security) {
    UUID jobId = RenderResource.jobId(id);
    Caller caller = AuthFilter.caller(security);
    return db.inTransaction(
        c -> {
          JobRow job = renders.visibleJob(c, caller, jobId);
          return new WebhookDeliveryList(repo.forJob(c, job.teamId(), jobId));
        });
  }
}
