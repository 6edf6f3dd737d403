package dev.reelfarm.schema.artifacts;

import dev.reelfarm.schema.presets.Preset;
import java.util.UUID;

/**
 * Where each artifact lives in the {@link ArtifactStore}, relative to its root, in one place for
 * all services:
 *
 * <pre>
 * jobs/&lt;job&gt;/chunks/&lt;index&gt;/run-&lt;run&gt;/frames.rgb      RGB24 frames of one run of a chunk
 *                                   /latents.f32     its final latents ({@code LatentFile})
 *                                   /preview-&lt;step&gt;.png
 * jobs/&lt;job&gt;/output/&lt;preset&gt;.mp4                        the clip
 *                   /poster.jpg
 *                   /.encoding-&lt;encoder&gt;-&lt;preset&gt;.mp4     an encoder's scratch file while it encodes
 * batches/&lt;batch&gt;/output/&lt;preset&gt;.mp4                  a sequence batch's shots as one video
 * </pre>
 *
 * The orchestrator puts the chunk prefix in each {@code ChunkTask} and the output prefix in each
 * {@code EncodeTask}; the worker and the encoder write under the prefix they are given.
 */
public final class ArtifactLayout {
  public static final String FRAMES = "frames.rgb";
  public static final String LATENTS = "latents.f32";
  public static final String POSTER = "poster.jpg";

  /** {@code jobs/<job>/chunks/<index>}: everything rendered for one chunk of a job. */
  public static String chunkPrefix(UUID jobId, int chunkIndex) {
    return chunksPrefix(jobId) + "/" + chunkIndex;
  }

  /** {@code jobs/<job>/chunks}: a job's intermediates (what retention removes once it finished). */
  public static String chunksPrefix(UUID jobId) {
    return jobPrefix(jobId) + "/chunks";
  }

  /**
   * One run's directory under a chunk prefix. Each run writes its own, so a superseded run can
   * never overwrite the frames of the run the orchestrator accepted.
   */
  public static String runPrefix(String chunkPrefix, UUID runId) {
    return chunkPrefix + "/run-" + runId;
  }

  public static String frames(String runPrefix) {
    return runPrefix + "/" + FRAMES;
  }

  public static String latents(String runPrefix) {
    return runPrefix + "/" + LATENTS;
  }

  public static String preview(String runPrefix, int step) {
    return runPrefix + "/preview-" + step + ".png";
  }

  /** {@code jobs/<job>/output}: the job's video and poster. */
  public static String outputPrefix(UUID jobId) {
    return jobPrefix(jobId) + "/output";
  }

  /** {@code batches/<batch>/output}: a sequence batch's video. */
  public static String batchOutputPrefix(UUID batchId) {
    return "batches/" + batchId + "/output";
  }

  /** {@code <output>/<preset>.mp4}. */
  public static String video(String outputPrefix, Preset preset) {
    return outputPrefix + "/" + preset.id() + ".mp4";
  }

  public static String poster(String outputPrefix) {
    return outputPrefix + "/" + POSTER;
  }

  /**
   * An encoder's scratch file for a clip it is encoding: fixed per encoder and preset, so a retry
   * reuses it; hidden (dot name), so it never looks like a finished video.
   */
  public static String encodingScratch(String outputPrefix, String encoderId, Preset preset) {
    return outputPrefix + "/.encoding-" + encoderId + "-" + preset.id() + ".mp4";
  }

  private static String jobPrefix(UUID jobId) {
    return "jobs/" + jobId;
  }

  private ArtifactLayout() {}
}
