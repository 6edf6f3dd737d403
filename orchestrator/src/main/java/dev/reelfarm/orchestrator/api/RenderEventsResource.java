package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.progress.EventStreams;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.schema.api.ApiScope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One render's events as Server-Sent Events, for a caller who may see the render. */
@Path("/api/v1/renders/{id}/events")
@Tag(name = "events")
@RequiresScope(ApiScope.READ)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class RenderEventsResource {
  private final EventStreams events;
  private final RenderQueries queries;

  public RenderEventsResource(Database db, RenderRepository repo, JobEta eta, EventStreams events) {
    this.events = events;
    this.queries = new RenderQueries(db, repo, eta);
  }

  /**
   * A job's events as Server-Sent Events, from its first (or after {@code Last-Event-ID}) to its
   * last.
   */
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      operationId = "streamRenderEvents",
      summary = "Follow a render's events",
      description = EventResource.STREAM_DESCRIPTION)
  @APIResponse(
      responseCode = "200",
      description = "The event stream; it ends after the render's last event",
      content =
          @Content(
              mediaType = MediaType.SERVER_SENT_EVENTS,
              schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  // Blocking: whether the caller may see the job is read before the stream (and its 200) starts,
  // so another team's job answers 404 like a missing one.
  @Blocking
  public Multi<OutboundSseEvent> jobEvents(
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      @HeaderParam("Last-Event-ID")
          @Parameter(description = "Resume after this event (the job's sequence number)")
          String lastEventId,
      @Context Sse sse,
      @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    UUID jobId = RenderResource.jobId(id);
    int after = (int) EventResource.cursor(lastEventId, "Last-Event-ID", 0);
    queries.visibleJob(caller, jobId);
    return events
        .job(jobId, after)
        .map(
            row ->
                sse.newEventBuilder()
                    .id(Integer.toString(row.seq()))
                    .name(row.type())
                    .data(row.payload())
                    .build());
  }
}
