package dev.reelfarm.schema.api;

import java.util.List;

/** The deliveries of one job or one endpoint, newest first. */
public record WebhookDeliveryList(List<WebhookDeliveryView> items) {}
