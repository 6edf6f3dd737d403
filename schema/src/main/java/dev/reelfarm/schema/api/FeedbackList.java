package dev.reelfarm.schema.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The feedback on one render, newest first. */
@Schema(description = "The feedback on one render (one per API key), newest first.")
public record FeedbackList(@Schema(required = true) List<FeedbackView> items) {}
