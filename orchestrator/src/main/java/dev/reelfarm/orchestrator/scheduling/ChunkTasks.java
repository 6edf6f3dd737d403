package dev.reelfarm.orchestrator.scheduling;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messages.ChunkTask.ContextFrame;
import dev.reelfarm.schema.messages.EncodeTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds the messages for a chunk or a job from their rows. Pure. */
public final class ChunkTasks {

  /**
   * The task for dispatch {@code epoch} of a chunk whose dependencies are DONE; context frames
   * point at their latents. A re-rendered chunk (one with its own seed) keeps, besides its own
   * context, the frames its dependants were conditioned on, from its previous run's latents: both
   * ends of it stay what its neighbours saw, so the seams stay as they were. It names the job's
   * model, so a worker with another one refuses it.
   */
  public static ChunkTask chunkTask(
      JobRow job, ChunkRow chunk, List<ChunkRow> jobChunks, int epoch) {
    Map<Integer, ChunkRow> byIndex =
        jobChunks.stream().collect(Collectors.toMap(ChunkRow::index, Function.identity()));
    List<ContextFrame> context = new ArrayList<>();
    for (int frame : chunk.plan().contextFrames()) {
      ChunkRow source =
          chunk.plan().dependsOn().stream()
              .map(byIndex::get)
              .filter(d -> d.plan().frames().contains(frame))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "chunk " + chunk.index() + ": no dependency renders frame " + frame));
      if (source.result().latentsUri() == null) {
        throw new IllegalStateException(
            "chunk " + chunk.index() + ": dependency " + source.index() + " has no latents yet");
      }
      context.add(
          new ContextFrame(
              frame, source.result().latentsUri(), source.plan().frames().indexOf(frame)));
    }
    Long chunkSeed = chunk.run().seedOverride();
    if (chunkSeed != null) context.addAll(framesDependantsSaw(chunk, jobChunks, context));
    return new ChunkTask(
        ChunkTask.SCHEMA_VERSION,
        job.id(),
        chunk.id(),
        chunk.index(),
        job.spec().prompt(),
        job.spec().negativePrompt(),
        job.spec().seed(),
        job.spec().steps(),
        job.spec().guidanceScale(),
        chunk.plan().windowStart(),
        chunk.plan().windowFrames(),
        chunk.plan().frames(),
        context,
        ArtifactLayout.chunkPrefix(job.id(), chunk.index()),
        epoch,
        chunkSeed,
        job.spec().model());
  }

  /**
   * The frames of {@code chunk}'s window that chunks depending on it took as context (not already
   * in {@code context}), from the chunk's current latents.
   */
  private static List<ContextFrame> framesDependantsSaw(
      ChunkRow chunk, List<ChunkRow> jobChunks, List<ContextFrame> context) {
    List<Integer> window = chunk.plan().frames();
    var known = context.stream().map(ContextFrame::globalFrame).collect(Collectors.toSet());
    var seen =
        jobChunks.stream()
            .filter(d -> d.plan().dependsOn().contains(chunk.index()))
            .flatMap(d -> d.plan().contextFrames().stream())
            .filter(f -> window.contains(f) && !known.contains(f))
            .distinct()
            .sorted()
            .toList();
    if (!seen.isEmpty() && chunk.result().latentsUri() == null)
      throw new IllegalStateException("chunk " + chunk.index() + " has no latents to keep");
    return seen.stream()
        .map(f -> new ContextFrame(f, chunk.result().latentsUri(), window.indexOf(f)))
        .toList();
  }

  /**
   * The job's encode task: complete when every chunk is done, else partial (frames of unfinished
   * chunks left out).
   */
  public static EncodeTask encodeTask(JobRow job, List<ChunkRow> chunks) {
    boolean complete = chunks.stream().allMatch(ChunkTasks::done);
    return new EncodeTask(
        EncodeTask.SCHEMA_VERSION,
        job.id(),
        job.spec().preset(),
        job.spec().nativeWidth(),
        job.spec().nativeHeight(),
        job.spec().nativeFps(),
        job.spec().totalFrames(),
        chunks.stream()
            .filter(
                c ->
                    c.plan().ownedEnd()
                        > c.plan().ownedStart()) // anchors own no frames: infills re-render their
            // keyframes exactly
            .map(
                c ->
                    new EncodeTask.ChunkFrames(
                        c.index(),
                        done(c) ? c.result().framesUri() : null,
                        c.plan().windowStart(),
                        c.plan().windowFrames(),
                        c.plan().ownedStart(),
                        c.plan().ownedEnd()))
            .toList(),
        ArtifactLayout.outputPrefix(job.id(), job.result().version()),
        complete,
        job.spec().interpolation() == null ? null : job.spec().interpolation().id());
  }

  /**
   * Whether {@code finished} (just done) lengthened the run of done chunks at the start of the
   * clip: it owns frames and every chunk owning earlier frames is done too.
   */
  public static boolean extendsFinishedStart(List<ChunkRow> chunks, ChunkRow finished) {
    if (finished.plan().ownedEnd() <= finished.plan().ownedStart()) return false;
    return chunks.stream()
        .filter(
            c ->
                c.plan().ownedEnd() > c.plan().ownedStart()
                    && c.plan().ownedStart() < finished.plan().ownedStart())
        .allMatch(ChunkTasks::done);
  }

  private static boolean done(ChunkRow c) {
    return c.status() == ChunkStatus.DONE;
  }

  private ChunkTasks() {}
}
