package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.WebhookRepository;
import dev.reelfarm.schema.api.WebhookDeliveryList;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The webhook deliveries one render caused (its own webhook and its team's endpoints). */
@Path("/api/v1/renders/{id}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class RenderWebhooksResource {
  private final Database db;
  private final WebhookRepository repo;
  private final CallerTeam team;

  public RenderWebhooksResource(Database db, WebhookRepository repo, CallerTeam team) {
    this.db = db;
    this.repo = repo;
    this.team = team;
  }

  @GET
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
  public WebhookDeliveryList deliveries(@PathParam("id") @Parameter(ref = "RenderId") String id) {
    UUID jobId = RenderResource.jobId(id);
    return db.inTransaction(
        c -> {
          if (!repo.jobOfTeam(c, team.id(), jobId)) throw new NotFoundException("no render " + id);
          return new WebhookDeliveryList(repo.forJob(c, team.id(), jobId));
        });
  }
}
