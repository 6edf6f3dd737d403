package dev.reelfarm.schema.api;

import java.time.Instant;

/**
 * A record a consumer could not read or apply, as {@code GET /api/v1/dead-letters} lists it.
 *
 * @param value the original value: as it was when UTF-8 text, base64 when not ({@code
 *     valueEncoding} says which: {@code utf8}, {@code base64}, or {@code none} for a record without
 *     a value)
 * @param consumerGroup the Kafka consumer group that set it aside
 * @param service the service (worker, encoder, orchestrator) that set it aside
 */
public record DeadLetterView(
    long id,
    String sourceTopic,
    int partition,
    long offset,
    String key,
    String value,
    String valueEncoding,
    String reason,
    String consumerGroup,
    String service,
    Instant createdAt) {}
