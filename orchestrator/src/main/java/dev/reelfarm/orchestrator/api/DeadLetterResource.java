package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.DeadLetterRepository;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.DeadLetterPage;
import dev.reelfarm.schema.api.DeadLetterView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the farm's consumers set aside: records they could not read or apply. */
@Path("/api/v1/dead-letters")
@RequiresScope(ApiScope.ADMIN)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "farm")
public class DeadLetterResource {
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;

  private final Database db;
  private final DeadLetterRepository deadLetters;

  public DeadLetterResource(Database db, DeadLetterRepository deadLetters) {
    this.db = db;
    this.deadLetters = deadLetters;
  }

  /** Newest first; {@code before} is the {@code next} of the previous page (an id). */
  @GET
  @Operation(
      operationId = "listDeadLetters",
      summary = "List dead letters",
      description =
          "Kafka records a consumer could not read or apply, newest first, paged: `next` is the"
              + " `before` of the following page.")
  @APIResponse(
      responseCode = "200",
      description = "A page of dead letters",
      content = @Content(schema = @Schema(implementation = DeadLetterPage.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "503", ref = "Unavailable")
  public DeadLetterPage list(
      @QueryParam("limit") @Parameter(description = "Page size, 1-500 (default 50)") Integer limit,
      @QueryParam("before") @Parameter(description = "The `next` of the previous page")
          String beforeParam) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw new InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    Long before;
    try {
      before = beforeParam == null ? null : Long.valueOf(beforeParam);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("before", "must be a dead letter id (a number)");
    }
    // one more than asked tells whether there is a next page
    List<DeadLetterView> rows = db.inTransaction(c -> deadLetters.page(c, size + 1, before));
    if (rows.size() <= size) return new DeadLetterPage(rows, null);
    List<DeadLetterView> page = rows.subList(0, size);
    return new DeadLetterPage(List.copyOf(page), page.get(size - 1).id());
  }
}
