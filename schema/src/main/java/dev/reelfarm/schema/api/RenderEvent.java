package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An event of a job's stream ({@code GET /api/v1/renders/{id}/events}, {@code /api/v1/events}): the
 * SSE {@code data:}, whose {@code type} is also the SSE {@code event:} name. {@code seq} numbers a
 * job's events 1, 2, 3, ... without gaps; {@code at} is when it was recorded.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(RenderEvent.Queued.class),
  @JsonSubTypes.Type(RenderEvent.ChunkStarted.class),
  @JsonSubTypes.Type(RenderEvent.Step.class),
  @JsonSubTypes.Type(RenderEvent.Preview.class),
  @JsonSubTypes.Type(RenderEvent.ChunkCompleted.class),
  @JsonSubTypes.Type(RenderEvent.ChunkFailed.class),
  @JsonSubTypes.Type(RenderEvent.AwaitingApproval.class),
  @JsonSubTypes.Type(RenderEvent.Approved.class),
  @JsonSubTypes.Type(RenderEvent.Rerolled.class),
  @JsonSubTypes.Type(RenderEvent.Encoding.class),
  @JsonSubTypes.Type(RenderEvent.Rerender.class),
  @JsonSubTypes.Type(RenderEvent.Succeeded.class),
  @JsonSubTypes.Type(RenderEvent.Failed.class),
  @JsonSubTypes.Type(RenderEvent.Cancelled.class)
})
public sealed interface RenderEvent {
  UUID jobId();

  int seq();

  Instant at();

  /**
   * The event's type name ({@code chunk-started}, ...): the JSON {@code type} and the SSE event
   * name.
   */
  @JsonIgnore
  default String type() {
    return typeName(getClass());
  }

  /**
   * The type names of the events that end a job's stream: {@code succeeded}, {@code failed}, {@code
   * cancelled}.
   */
  Set<String> TERMINAL_TYPES =
      Set.of(typeName(Succeeded.class), typeName(Failed.class), typeName(Cancelled.class));

  static String typeName(Class<? extends RenderEvent> type) {
    return type.getAnnotation(JsonTypeName.class).value();
  }

  @JsonTypeName("queued")
  record Queued(UUID jobId, int seq, Instant at, int chunks, int totalFrames, RenderMode mode)
      implements RenderEvent {}

  @JsonTypeName("chunk-started")
  record ChunkStarted(
      UUID jobId, int seq, Instant at, int chunk, String worker, int attempt, int steps, UUID runId)
      implements RenderEvent {}

  @JsonTypeName("step")
  record Step(UUID jobId, int seq, Instant at, int chunk, int step, int steps, String worker)
      implements RenderEvent {}

  /** A new preview image of a running chunk, at {@code url}. */
  @JsonTypeName("preview")
  record Preview(UUID jobId, int seq, Instant at, int chunk, int step, String url)
      implements RenderEvent {}

  @JsonTypeName("chunk-completed")
  record ChunkCompleted(
      UUID jobId, int seq, Instant at, int chunk, String worker, int attempt, long denoiseMs)
      implements RenderEvent {}

  /** A run failed; {@code retry}: the chunk runs again, else the job fails. */
  @JsonTypeName("chunk-failed")
  record ChunkFailed(
      UUID jobId,
      int seq,
      Instant at,
      int chunk,
      String worker,
      int attempt,
      boolean retry,
      String error)
      implements RenderEvent {}

  /**
   * The anchor pass {@code round} is done: its {@code keyframes} wait for approval at {@code
   * storyboard}; the job is AWAITING_APPROVAL. {@code seed} is the one they were rendered with.
   */
  @JsonTypeName("awaiting-approval")
  record AwaitingApproval(
      UUID jobId, int seq, Instant at, int round, int keyframes, String seed, String storyboard)
      implements RenderEvent {}

  /** The storyboard of {@code round} was approved after {@code waitedMs}: the infills render. */
  @JsonTypeName("approved")
  record Approved(UUID jobId, int seq, Instant at, int round, long waitedMs)
      implements RenderEvent {}

  /** The storyboard was rejected for another one: the anchors of {@code round} render anew. */
  @JsonTypeName("rerolled")
  record Rerolled(UUID jobId, int seq, Instant at, int round, String seed) implements RenderEvent {}

  /**
   * A chunk of a succeeded job is rendered again with its own {@code seed} (a decimal string): the
   * job is RUNNING again and its next {@code succeeded} delivers video {@code version}.
   */
  @JsonTypeName("rerender")
  record Rerender(UUID jobId, int seq, Instant at, int chunk, String seed, int version)
      implements RenderEvent {}

  @JsonTypeName("encoding")
  record Encoding(UUID jobId, int seq, Instant at, int chunks) implements RenderEvent {}

  @JsonTypeName("succeeded")
  record Succeeded(
      UUID jobId,
      int seq,
      Instant at,
      String video,
      String poster,
      long sizeBytes,
      double durationSeconds,
      int frames)
      implements RenderEvent {}

  @JsonTypeName("failed")
  record Failed(UUID jobId, int seq, Instant at, String reason) implements RenderEvent {}

  @JsonTypeName("cancelled")
  record Cancelled(UUID jobId, int seq, Instant at, String reason) implements RenderEvent {}
}
