package dev.reelfarm.encoder.messaging;

import dev.reelfarm.encoder.media.ClipEncoder;
import dev.reelfarm.encoder.media.SequenceEncoder;
import dev.reelfarm.encoder.stitching.InvalidPlanException;
import dev.reelfarm.encoder.stitching.SequencePlan;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.SequenceEvent;
import dev.reelfarm.schema.messages.SequenceTask;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import dev.reelfarm.schema.presets.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@link SequenceTask} into {@code <preset>.mp4} under the task's {@code artifactPrefix}:
 * every shot planned as its own clip would be ({@link ClipPlan}), placed by {@link SequencePlan}
 * and encoded by {@link SequenceEncoder}; reports ENCODED with the plan it followed, or FAILED.
 * Idempotent: a redelivered task encodes the same frames again and atomically replaces the file.
 * Anything wrong with the task itself (unknown preset or transition, shots of another preset or
 * native size, a missing frames file, a dissolve too long for a shot) is poison, reported at once.
 */
public final class SequenceTaskHandler implements LongTaskConsumer.Handler<SequenceTask> {
  private static final Logger LOG = LoggerFactory.getLogger(SequenceTaskHandler.class);

  private final ArtifactStore store;
  private final String encoderId;
  private final Consumer<SequenceEvent> events;

  /**
   * @param events where reports go; must return only once a report is durable (see {@link
   *     EventPublisher})
   */
  public SequenceTaskHandler(
      ArtifactStore store, String encoderId, Consumer<SequenceEvent> events) {
    this.store = store;
    this.encoderId = encoderId;
    this.events = events;
  }

  @Override
  public void handle(SequenceTask task) throws IOException {
    if (task.schemaVersion() > SequenceTask.SCHEMA_VERSION)
      throw poison("sequence task schema version " + task.schemaVersion() + " is too new");
    Preset preset;
    try {
      preset = Preset.parse(task.preset());
    } catch (IllegalArgumentException e) {
      throw ClipPlan.poison(e.getMessage(), e);
    }
    try {
      store.checkKey(task.artifactPrefix());
    } catch (IllegalArgumentException e) {
      throw ClipPlan.poison("bad artifactPrefix: " + e.getMessage(), e);
    }
    EncodeTask first = task.shots().get(0);
    List<SequenceEncoder.Shot> shots = new ArrayList<>();
    List<Integer> frames = new ArrayList<>();
    for (int k = 0; k < task.shots().size(); k++) {
      EncodeTask shot = task.shots().get(k);
      if (!shot.preset().equals(task.preset())
          || shot.nativeWidth() != first.nativeWidth()
          || shot.nativeHeight() != first.nativeHeight())
        throw poison(
            "shot "
                + k
                + " is "
                + shot.preset()
                + " at "
                + shot.nativeWidth()
                + "x"
                + shot.nativeHeight()
                + "; the sequence is "
                + task.preset()
                + " at "
                + first.nativeWidth()
                + "x"
                + first.nativeHeight());
      ClipPlan plan = ClipPlan.of(shot, store);
      shots.add(new SequenceEncoder.Shot(plan.clip(), plan.files(), plan.fps()));
      frames.add(plan.fps().outputFrames());
    }
    SequencePlan plan;
    try {
      plan = SequencePlan.of(frames, transition(task.transition()), task.transitionFrames());
    } catch (InvalidPlanException e) {
      throw ClipPlan.poison("bad sequence: " + e.getMessage(), e);
    }
    Path scratch =
        store.scratch(ArtifactLayout.encodingScratch(task.artifactPrefix(), encoderId, preset));
    Files.createDirectories(scratch.getParent());
    LOG.info(
        "batch {}: encoding {} shots ({} frames each, {} {}) into {} frames as {}",
        task.batchId(),
        shots.size(),
        frames,
        task.transition(),
        plan.transitionFrames(),
        plan.totalFrames(),
        preset.id());
    ClipEncoder.Result result;
    String videoUri;
    long size;
    try {
      result =
          SequenceEncoder.encode(
              shots, plan, preset, first.nativeWidth(), first.nativeHeight(), scratch);
      size = Files.size(scratch);
      videoUri = store.upload(ArtifactLayout.video(task.artifactPrefix(), preset), scratch);
    } finally {
      Files.deleteIfExists(scratch);
    }
    for (EncodeTask shot : task.shots())
      for (EncodeTask.ChunkFrames c : shot.chunks()) store.evictLocalCopy(c.framesUri());
    LOG.info(
        "batch {}: sequence of {} frames ({} bytes) in {} ms, shots start at {} → {}",
        task.batchId(),
        result.frames(),
        size,
        result.encodeMs(),
        plan.starts(),
        videoUri);
    events.accept(
        new SequenceEvent.Encoded(
            SequenceEvent.SCHEMA_VERSION,
            task.batchId(),
            videoUri,
            size,
            result.durationSeconds(),
            result.frames(),
            plan.starts(),
            plan.transitionFrames(),
            result.encodeMs(),
            System.currentTimeMillis()));
  }

  @Override
  public void giveUp(SequenceTask task, Exception cause) {
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    try {
      events.accept(
          new SequenceEvent.Failed(
              SequenceEvent.SCHEMA_VERSION, task.batchId(), message, System.currentTimeMillis()));
    } catch (RuntimeException e) {
      LOG.error(
          "batch {}: could not report the failure ({}): {}", task.batchId(), message, e.toString());
    }
  }

  private static SequencePlan.Transition transition(String name) {
    try {
      return SequencePlan.Transition.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw poison("unknown transition '" + name + "'");
    }
  }

  private static PoisonTaskException poison(String message) {
    return ClipPlan.poison(message, null);
  }
}
