package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.progress.EventStreams;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.ApiScope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

/**
 * The farm-wide Server-Sent Events stream (a job's own stream is {@code RenderResource#events}).
 * Each message has {@code id:} (a job's event sequence number 1, 2, 3, ... on a job stream; the
 * global event id on the farm stream) and {@code event:} (its type), so browsers' EventSource
 * resumes with Last-Event-ID and misses nothing.
 */
@Path("/api/v1")
@Tag(name = "events")
@RequiresScope(ApiScope.READ)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class EventResource {
  /** What an event stream carries, for the contract. */
  static final String STREAM_DESCRIPTION =
      "Server-Sent Events: `event:` is the type (queued, chunk-started, step, preview,"
          + " chunk-completed, chunk-failed, rerender, encoding, succeeded, failed, cancelled), `data:`"
          + " the event as JSON (a RenderEvent with `type`, `jobId`, `seq`, `at`), `id:` the cursor"
          + " that `Last-Event-ID` resumes after, without gaps or duplicates.";

  private final EventStreams streams;

  public EventResource(EventStreams streams) {
    this.streams = streams;
  }

  /** All jobs' events, from now (or after {@code Last-Event-ID} / {@code ?after=}). */
  @GET
  @Path("/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      operationId = "streamFarmEvents",
      summary = "Follow every render's events",
      description =
          STREAM_DESCRIPTION
              + " The farm stream's `id:` is the global event id. It carries the caller's team's"
              + " renders only (an admin's: every team's).")
  @APIResponse(
      responseCode = "200",
      description = "The farm's event stream from now (or after the cursor); it does not end",
      content =
          @Content(
              mediaType = MediaType.SERVER_SENT_EVENTS,
              schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  public Multi<OutboundSseEvent> farmEvents(
      @HeaderParam("Last-Event-ID") @Parameter(description = "Resume after this event id")
          String lastEventId,
      @QueryParam("after")
          @Parameter(description = "Resume after this event id (for clients without headers)")
          String after,
      @Context Sse sse,
      @Context SecurityContext security) {
    UUID team = AuthFilter.caller(security).listedTeam();
    long cursor =
        cursor(
            lastEventId != null ? lastEventId : after,
            lastEventId != null ? "Last-Event-ID" : "after",
            -1);
    return Multi.createFrom()
        .item(cursor)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .onItem()
        .transformToMultiAndConcatenate(c -> streams.farm(team, c))
        .map(
            row ->
                sse.newEventBuilder()
                    .id(Long.toString(row.id()))
                    .name(row.type())
                    .data(row.payload())
                    .build());
  }

  static long cursor(String value, String field, long absent) {
    if (value == null || value.isBlank()) return absent;
    try {
      long v = Long.parseLong(value.trim());
      if (v < 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(field, "must be a non-negative event id");
    }
  }
}
