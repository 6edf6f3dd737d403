package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.WebhookRepository;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.orchestrator.submission.TextRules;
import dev.reelfarm.orchestrator.webhooks.WebhookSigner;
import dev.reelfarm.orchestrator.webhooks.WebhookUrlGuard;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.WebhookDeliveryList;
import dev.reelfarm.schema.api.WebhookEndpointList;
import dev.reelfarm.schema.api.WebhookEndpointRequest;
import dev.reelfarm.schema.api.WebhookEndpointView;
import dev.reelfarm.schema.api.WebhookEvent;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's team's webhook endpoints and what was delivered to them. Endpoints belong to the
 * calling key's team (an admin's too): a key with {@code submit} registers and deletes them, one
 * with {@code read} lists them; another team's endpoint answers 404.
 */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class WebhookResource {
  static final int DEFAULT_PROGRESS_SECONDS = 10;
  private static final Set<String> FIELDS =
      Set.of("url", "events", "progressIntervalSeconds", "description");

  private final Database db;
  private final WebhookRepository repo;
  private final WebhookUrlGuard guard;
  private final ObjectMapper mapper;

  public WebhookResource(
      Database db, WebhookRepository repo, WebhookUrlGuard guard, ObjectMapper mapper) {
    this.db = db;
    this.repo = repo;
    this.guard = guard;
    this.mapper = mapper;
  }

  @POST
  @RequiresScope(ApiScope.SUBMIT)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createWebhookEndpoint",
      summary = "Register a webhook endpoint",
      description =
          "Calls `url` with the events named in `events` for every render of the team, signed per"
              + " the Standard Webhooks spec with the `secret` of the answer (shown only here).")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = WebhookEndpointRequest.class)))
  @APIResponse(
      responseCode = "201",
      description = "Registered; the answer carries the signing secret",
      headers = @Header(name = "Location", ref = "Location"),
      content = @Content(schema = @Schema(implementation = WebhookEndpointView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "413", ref = "TooLarge")
  public Response create(String body, @Context SecurityContext security) {
    UUID team = AuthFilter.caller(security).teamId();
    WebhookEndpointRequest request = parse(body);
    WebhookEndpointView created =
        db.inTransaction(
            c ->
                repo.createEndpoint(
                    c,
                    team,
                    request.url(),
                    request.events(),
                    request.progressIntervalSeconds(),
                    request.description(),
                    WebhookSigner.newSecret()));
    return Response.status(201)
        .entity(created)
        .header("Location", "/api/v1/webhooks/" + created.id())
        .build();
  }

  @GET
  @RequiresScope(ApiScope.READ)
  @Operation(
      operationId = "listWebhookEndpoints",
      summary = "List webhook endpoints",
      description = "The team's endpoints, oldest first (without their secrets).")
  @APIResponse(
      responseCode = "200",
      description = "The endpoints",
      content = @Content(schema = @Schema(implementation = WebhookEndpointList.class)))
  public WebhookEndpointList list(@Context SecurityContext security) {
    UUID team = AuthFilter.caller(security).teamId();
    return new WebhookEndpointList(db.inTransaction(c -> repo.endpoints(c, team)));
  }

  @DELETE
  @RequiresScope(ApiScope.SUBMIT)
  @Path("/{id}")
  @Operation(
      operationId = "deleteWebhookEndpoint",
      summary = "Delete a webhook endpoint",
      description = "Stops its deliveries (pending ones are dropped) and forgets their history.")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response delete(
      @PathParam("id") @Parameter(description = "The endpoint's id") String id,
      @Context SecurityContext security) {
    UUID team = AuthFilter.caller(security).teamId();
    UUID endpoint = endpointId(id);
    if (!db.inTransaction(c -> repo.deleteEndpoint(c, team, endpoint)))
      throw new NotFoundException("no webhook endpoint " + id);
    return Response.noContent().build();
  }

  @GET
  @RequiresScope(ApiScope.READ)
  @Path("/{id}/deliveries")
  @Operation(
      operationId = "listWebhookEndpointDeliveries",
      summary = "An endpoint's deliveries",
      description =
          "Newest first (at most "
              + WebhookRepository.LIST_LIMIT
              + "), each with every attempt:"
              + " status code, error, duration.")
  @APIResponse(
      responseCode = "200",
      description = "The deliveries",
      content = @Content(schema = @Schema(implementation = WebhookDeliveryList.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public WebhookDeliveryList deliveries(
      @PathParam("id") @Parameter(description = "The endpoint's id") String id,
      @Context SecurityContext security) {
    UUID team = AuthFilter.caller(security).teamId();
    UUID endpoint = endpointId(id);
    return db.inTransaction(
        c -> {
          if (repo.endpoint(c, team, endpoint).isEmpty())
            throw new NotFoundException("no webhook endpoint " + id);
          return new WebhookDeliveryList(repo.forEndpoint(c, endpoint));
        });
  }

  private WebhookEndpointRequest parse(String body) {
    JsonNode root = RenderRequestParser.object(mapper, body, FIELDS, true);
    JsonNode url = root.get("url");
    if (url == null || !url.isTextual()) throw new InvalidRequestException("url", "is required");
    String checked = guard.check("url", url.textValue()).toString();
    JsonNode events = root.get("events");
    if (events == null || !events.isArray() || events.isEmpty())
      throw new InvalidRequestException(
          "events", "must be a non-empty array of: " + WebhookEvent.ids());
    Set<WebhookEvent> wanted = new LinkedHashSet<>();
    for (JsonNode event : events) {
      wanted.add(
          WebhookEvent.find(event.asText())
              .filter(e -> event.isTextual())
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "events",
                          "unknown event " + event + "; expected " + WebhookEvent.ids())));
    }
    Integer progress = null;
    if (wanted.contains(WebhookEvent.RENDER_PROGRESS)) {
      JsonNode interval = root.get("progressIntervalSeconds");
      progress = DEFAULT_PROGRESS_SECONDS;
      if (interval != null && !interval.isNull()) {
        if (!interval.isIntegralNumber() || interval.asLong() < 1 || interval.asLong() > 3600)
          throw new InvalidRequestException(
              "progressIntervalSeconds", "must be an integer from 1 to 3600");
        progress = interval.intValue();
      }
    }
    JsonNode description = root.get("description");
    String text = "";
    if (description != null && !description.isNull()) {
      if (!description.isTextual() || description.textValue().length() > 500)
        throw new InvalidRequestException("description", "must be a string of at most 500 chars");
      TextRules.requireValid("description", description.textValue());
      text = description.textValue();
    }
    return new WebhookEndpointRequest(checked, new ArrayList<>(wanted), progress, text);
  }

  private static UUID endpointId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("id", "'" + id + "' is not a webhook endpoint id (a UUID)");
    }
  }
}
