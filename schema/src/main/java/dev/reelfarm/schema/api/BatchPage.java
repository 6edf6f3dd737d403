package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A page of {@code GET /api/v1/batches}, newest first. {@code next} (absent on the last page) is
 * the {@code before} cursor of the following page.
 */
public record BatchPage(
    List<BatchView> items, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {}
