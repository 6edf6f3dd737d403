package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.FeedbackRepository;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.FeedbackPage;
import dev.reelfarm.schema.api.FeedbackRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The feedback export that {@code reelfarm feedback export} pages through: every rating with its
 * render's request, model and video, oldest change first. A team's key sees its team's, an admin's
 * every team's.
 */
@Path("/api/v1/feedback")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "feedback")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class FeedbackExportResource {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final Database db;
  private final FeedbackRepository repo;

  public FeedbackExportResource(Database db, FeedbackRepository repo) {
    this.db = db;
    this.repo = repo;
  }

  @GET
  @RequiresScope(ApiScope.READ)
  @Operation(
      operationId = "exportFeedback",
      summary = "Export feedback",
      description =
          "Ratings with their render's prompt, seed, parameters, model and video location, oldest"
              + " change first, paged (`next` is the `after` of the following page). A team's key"
              + " gets its team's, an admin's every team's. A replaced rating moves to the end.")
  @APIResponse(
      responseCode = "200",
      description = "A page of feedback records",
      content = @Content(schema = @Schema(implementation = FeedbackPage.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  public FeedbackPage export(
      @QueryParam("since")
          @Parameter(
              description = "Only feedback given or replaced at or after this ISO-8601 instant")
          String since,
      @QueryParam("minRating")
          @Parameter(
              description = "Only ratings of at least this (1-5, default 1)",
              schema = @Schema(minimum = "1", maximum = "5"))
          Integer minRating,
      @QueryParam("after") @Parameter(description = "The `next` of the previous page") String after,
      @QueryParam("limit")
          @Parameter(
              description = "Page size, 1-" + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")",
              schema = @Schema(minimum = "1", maximum = "1000"))
          Integer limit,
      @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT)
      throw new InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT);
    int min = minRating == null ? 1 : minRating;
    if (min < 1 || min > 5) throw new InvalidRequestException("minRating", "must be from 1 to 5");
    Instant from = since == null ? null : instant("since", since);
    FeedbackRepository.Cursor cursor = after == null ? null : cursor(after);
    List<FeedbackRecord> items =
        db.inTransaction(c -> repo.export(c, caller.listedTeam(), from, min, cursor, size));
    String next = null;
    if (items.size() == size) {
      FeedbackRecord last = items.get(items.size() - 1);
      next = last.updatedAt() + "_" + last.feedbackId();
    }
    return new FeedbackPage(items, next);
  }

  private static FeedbackRepository.Cursor cursor(String after) {
    int cut = after.indexOf('_');
    try {
      if (cut > 0)
        return new FeedbackRepository.Cursor(
            Instant.parse(after.substring(0, cut)), UUID.fromString(after.substring(cut + 1)));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      // refused below
    }
    throw new InvalidRequestException("after", "must be the `next` of a previous page");
  }

  private static Instant instant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          field, "must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
    }
  }
}
