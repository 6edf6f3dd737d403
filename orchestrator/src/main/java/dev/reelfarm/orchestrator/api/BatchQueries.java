package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.persistence.BatchRepository;
import dev.reelfarm.orchestrator.persistence.BatchRow;
import dev.reelfarm.orchestrator.persistence.BatchViews;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.BatchPage;
import dev.reelfarm.schema.api.BatchView;
import jakarta.ws.rs.NotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The batches a caller may see, as views: its own team's, or every team's for an admin. Another
 * team's batch answers 404 exactly as a missing one does.
 */
final class BatchQueries {
  private final Database db;
  private final BatchRepository batches;

  BatchQueries(Database db, BatchRepository batches) {
    this.db = db;
    this.batches = batches;
  }

  static UUID batchId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("id", "'" + id + "' is not a batch id (a UUID)");
    }
  }

  BatchRow visible(Connection c, Caller caller, UUID id) throws SQLException {
    return batches
        .find(c, id, false)
        .filter(b -> caller.sees(b.teamId()))
        .orElseThrow(() -> new NotFoundException("no batch " + id));
  }

  BatchRow visible(Caller caller, UUID id) {
    return db.inTransaction(c -> visible(c, caller, id));
  }

  BatchView view(Caller caller, UUID id) {
    return db.inTransaction(c -> BatchViews.of(visible(c, caller, id), batches.shots(c, id)));
  }

  BatchPage list(Caller caller, Integer limit, String before) {
    int size = limit == null ? 20 : limit;
    if (size < 1 || size > 200)
      throw new InvalidRequestException("limit", "must be between 1 and 200");
    Instant cursor;
    try {
      cursor = before == null ? null : Instant.parse(before);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          "before", "must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
    }
    List<BatchView> items =
        db.inTransaction(
            c -> {
              List<BatchView> views = new ArrayList<>();
              for (BatchRow b : batches.list(c, caller.listedTeam(), cursor, size))
                views.add(BatchViews.of(b, batches.shots(c, b.id())));
              return views;
            });
    String next = items.size() == size ? items.get(items.size() - 1).createdAt().toString() : null;
    return new BatchPage(items, next);
  }
}
