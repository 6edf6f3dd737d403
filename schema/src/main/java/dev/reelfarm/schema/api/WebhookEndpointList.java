package dev.reelfarm.schema.api;

import java.util.List;

/** {@code GET /api/v1/webhooks}: the caller's team's endpoints, oldest first. */
public record WebhookEndpointList(List<WebhookEndpointView> items) {}
