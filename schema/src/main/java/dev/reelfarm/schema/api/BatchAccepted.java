package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * The 202 body of {@code POST /api/v1/batches}: the batch's id, status, its shots' render ids in
 * shot order, and where to follow it.
 */
public record BatchAccepted(UUID id, BatchStatus status, List<UUID> renders, Links links) {

  /** {@code video}: the sequence's MP4 (a sequence batch only). */
  public record Links(String self, @JsonInclude(JsonInclude.Include.NON_NULL) String video) {}
}
