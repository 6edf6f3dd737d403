package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.models.ModelCatalog;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.ModelList;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The models a request may name: the farm's, not a team's, so every team sees the same list. */
@Path("/api/v1/models")
@RequiresScope(ApiScope.READ)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "farm")
public class ModelResource {
  private final ModelCatalog catalog;

  public ModelResource(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  @Operation(
      operationId = "listModels",
      summary = "List the farm's models",
      description =
          "Every model bundle a worker has reported, and the farm's default"
              + " (`reelfarm.model.bundle`), the default first: what a render's `model` may name,"
              + " each with its native format, chunk length, request defaults and the live workers"
              + " that have it loaded now (0: its renders queue until one has).")
  @APIResponse(
      responseCode = "200",
      description = "The farm's models",
      content = @Content(schema = @Schema(implementation = ModelList.class)))
  @APIResponse(responseCode = "503", ref = "Unavailable")
  public ModelList list() {
    return new ModelList(catalog.views());
  }
}
