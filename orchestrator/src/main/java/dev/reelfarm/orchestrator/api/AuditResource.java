package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.AuditEntry;
import dev.reelfarm.schema.api.AuditPage;
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

/** The audit log (admins only): who submitted, cancelled, created or revoked what, and when. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "teams")
@RequiresScope(ApiScope.ADMIN)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class AuditResource {
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;

  private final Database db;
  private final AuditLog audit;

  public AuditResource(Database db, AuditLog audit) {
    this.db = db;
    this.audit = audit;
  }

  @GET
  @Operation(
      operationId = "listAudit",
      summary = "Read the audit log",
      description = "Newest first, paged: `next` is the `before` of the following page.")
  @APIResponse(
      responseCode = "200",
      description = "A page of the audit log",
      content = @Content(schema = @Schema(implementation = AuditPage.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  public AuditPage list(
      @QueryParam("limit") @Parameter(description = "Page size, 1-500 (default 50)") Integer limit,
      @QueryParam("before") @Parameter(description = "The `next` of the previous page")
          String beforeParam) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT)
      throw new InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT);
    Long before;
    try {
      before = beforeParam == null ? null : Long.valueOf(beforeParam);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("before", "must be an audit entry id (a number)");
    }
    // one more than asked tells whether there is a next page
    List<AuditEntry> rows = db.inTransaction(c -> audit.page(c, size + 1, before));
    if (rows.size() <= size) return new AuditPage(rows, null);
    List<AuditEntry> page = rows.subList(0, size);
    return new AuditPage(List.copyOf(page), page.get(size - 1).id());
  }
}
