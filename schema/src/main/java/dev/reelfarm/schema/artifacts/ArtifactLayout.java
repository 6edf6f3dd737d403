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
 * jobs/&lt;job&gt;/output/v&lt;n&gt;/...                          version n &ge; 2 of the clip (a chunk re-render)
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

  /**
   * The frames a run wrote next to the latents at {@code latentsUri} (either store's URI of {@link
   * #latents}): a worker that re-encodes context pixels finds them from the latents it is given.
   */
  public static String framesBesideLatents(String latentsUri) {
    if (!latentsUri.endsWith("/" + LATENTS)) {
      throw new IllegalArgumentException("not a run's latents: " + latentsUri);
    }
    return latentsUri.substring(0, latentsUri.length() - LATENTS.length()) + FRAMES;
  }

  public static String preview(String runPrefix, int step) {
    return runPrefix + "/preview-" + step + ".png";
  }

  /** {@code jobs/<job>/output}: the job's video and poster. */
  public static String outputPrefix(UUID jobId) {
    return jobPrefix(jobId) + "/output";
  }

  /**
   * Where version {@code version} of the job's clip goes: version 1 (the first render) in {@link
   * #outputPrefix(UUID)}, a later one (a chunk re-render) in its {@code v<n>} folder under it, so a
   * version never overwrites another.
   */
  public static String outputPrefix(UUID jobId, int version) {
    if (version < 1) throw new IllegalArgumentException("video versions start at 1: " + version);
    return version == 1 ? outputPrefix(jobId) : outputPrefix(jobId) + "/v" + version;
  }

  /**
   * The version of job {@code jobId}'s clip an artifact URI (or key) under its output belongs to:
   * {@code n} under {@code output/v<n>/}, else 1.
   */
  public static int outputVersion(UUID jobId, String uri) {
    String versions = outputPrefix(jobId) + "/v";
    int at = uri.lastIndexOf(versions);
    if (at < 0) return 1;
    int start = at + versions.length();
    int end = uri.indexOf('/', start);
    try {
      return end < 0 ? 1 : Integer.parseInt(uri.substring(start, end));
    } catch (NumberFormatException e) {
      return 1;
    }
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
