package dev.reelfarm.schema.api;

import java.util.List;

/** {@code GET /api/v1/models}: the farm's models, the default first, then by name. */
public record ModelList(List<ModelView> items) {}
