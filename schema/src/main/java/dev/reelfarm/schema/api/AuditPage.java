package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A page of {@code GET /api/v1/audit}, newest first. {@code next} (absent on the last page) is the
 * {@code before} cursor of the following page.
 */
public record AuditPage(
    List<AuditEntry> items, @JsonInclude(JsonInclude.Include.NON_NULL) Long next) {}
