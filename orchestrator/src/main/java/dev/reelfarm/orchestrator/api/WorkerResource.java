package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.WorkerView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Live workers, from their heartbeats, with their quarantine. */
@Path("/api/v1/workers")
@RequiresScope(ApiScope.READ)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "farm")
public class WorkerResource {
  private final Database db;
  private final WorkerRepository workers;
  private final ReelfarmConfig config;
  private final RenderRepository renders;

  public WorkerResource(
      Database db, WorkerRepository workers, ReelfarmConfig config, RenderRepository renders) {
    this.db = db;
    this.workers = workers;
    this.config = config;
    this.renders = renders;
  }

  @GET
  @Operation(
      operationId = "listWorkers",
      summary = "List live workers",
      description =
          "Workers with a heartbeat in the last `reelfarm.workers.live-seconds`: model, device,"
              + " current chunk, heartbeat age and quarantine. The current render and chunk are"
              + " shown only when the caller may see that render (another team's: null).")
  @APIResponse(
      responseCode = "200",
      description = "The live workers",
      content =
          @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = WorkerView.class)))
  @APIResponse(responseCode = "503", ref = "Unavailable")
  public List<WorkerView> list(@Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    Instant now = Instant.now();
    var live = db.inTransaction(c -> workers.live(c, config.workers().liveSeconds()));
    Set<UUID> busyWith =
        live.stream()
            .map(w -> w.currentJobId())
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    // Another team's job on a worker is not the caller's to know of: the worker shows as busy.
    Set<UUID> visible =
        caller.admin() || busyWith.isEmpty()
            ? busyWith
            : db.inTransaction(c -> renders.ownedBy(c, caller.teamId(), busyWith));
    return live.stream()
        .map(
            w -> {
              boolean shown = w.currentJobId() != null && visible.contains(w.currentJobId());
              return new WorkerView(
                  w.id(),
                  w.model(),
                  w.device(),
                  w.host(),
                  w.pid(),
                  shown ? w.currentJobId() : null,
                  shown ? w.currentChunkId() : null,
                  shown ? w.currentChunkIndex() : null,
                  w.lastHeartbeatAt(),
                  Duration.between(w.lastHeartbeatAt(), now).toMillis(),
                  w.quarantinedAt() != null,
                  w.quarantinedAt(),
                  w.quarantineReason());
            })
        .toList();
  }
}
