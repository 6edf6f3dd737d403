package dev.reelfarm.schema.api;

import java.util.UUID;

/**
 * The 202 body of {@code POST /api/v1/renders/{id}/chunks/{index}/rerender}: the job (RUNNING
 * again), the chunk and its seed (a decimal string, as {@link RenderView#seed}), and the version of
 * the video the re-render will deliver.
 */
public record RerenderAccepted(
    UUID id, JobStatus status, int chunk, String seed, int version, RenderAccepted.Links links) {}
