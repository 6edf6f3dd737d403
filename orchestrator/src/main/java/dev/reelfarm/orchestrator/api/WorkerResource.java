package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.schema.api.WorkerView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Live workers, from their heartbeats, with their quarantine. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "farm")
public class WorkerResource {
  private final Database db;
  private final WorkerRepository workers;
  private final ReelfarmConfig config;

  public WorkerResource(Database db, WorkerRepository workers, ReelfarmConfig config) {
    this.db = db;
    this.workers = workers;
    this.config = config;
  }

  @GET
  @Operation(
      operationId = "listWorkers",
      summary = "List live workers",
      description =
          "Workers with a heartbeat in the last `reelfarm.workers.live-seconds`: model, device,"
              + " current chunk, heartbeat age and quarantine.")
  @APIResponse(
      responseCode = "200",
      description = "The live workers",
      content =
          @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = WorkerView.class)))
  @APIResponse(responseCode = "503", ref = "Unavailable")
  public List<WorkerView> list() {
    Instant now = Instant.now();
    return db.inTransaction(c -> workers.live(c, config.workers().liveSeconds())).stream()
        .map(
            w ->
                new WorkerView(
                    w.id(),
                    w.model(),
                    w.device(),
                    w.host(),
                    w.pid(),
                    w.currentJobId(),
                    w.currentChunkId(),
                    w.currentChunkIndex(),
                    w.lastHeartbeatAt(),
                    Duration.between(w.lastHeartbeatAt(), now).toMillis(),
                    w.quarantinedAt() != null,
                    w.quarantinedAt(),
                    w.quarantineReason()))
        .toList();
  }
}
