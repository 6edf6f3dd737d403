package dev.reelfarm.schema.api;

/**
 * Every API error: a machine-readable code, the field at fault (if any) and a sentence for people.
 */
public record ErrorBody(String error, String field, String message) {}
