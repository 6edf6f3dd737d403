package dev.reelfarm.schema.api;

import java.util.UUID;

/**
 * The 202 body of {@code POST /api/v1/renders}: the new job's id, its status and where to follow
 * it.
 */
public record RenderAccepted(UUID id, JobStatus status, Links links) {

  public record Links(String self, String video, String events) {}
}
