package dev.reelfarm.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The orchestrator's own settings ({@code reelfarm.*}; env vars {@code REELFARM_*}). */
@ConfigMapping(prefix = "reelfarm")
public interface ReelfarmConfig {

  /** Directory of the model bundle whose bundle.json drives planning (native fps, chunk length). */
  @WithName("model.bundle")
  @WithDefault("models/tiny-shapes")
  String modelBundle();

  /** Root of the shared artifact store (frames, latents, videos). */
  @WithName("artifacts.dir")
  @WithDefault(".reelfarm/artifacts")
  String artifactsDir();

  /** Native frames a sequential chunk shares with its predecessor (its conditioning context). */
  @WithName("planning.context-frames")
  @WithDefault("2")
  int contextFrames();

  /** Frames neighbouring infill chunks share in anchored mode (1 = just their keyframe). */
  @WithName("planning.overlap-frames")
  @WithDefault("1")
  int overlapFrames();

  /** Chunks dispatched or running at once, over all jobs: the farm's admission bound. */
  @WithName("dispatch.max-in-flight")
  @WithDefault("64")
  int maxInFlight();

  /** Runs a chunk may fail before its job fails. A crashed worker's run does not count. */
  @WithName("chunk.max-attempts")
  @WithDefault("3")
  int chunkMaxAttempts();

  /** How often the outbox relay and dispatcher look for work when not woken up, in ms. */
  @WithName("relay.poll-ms")
  @WithDefault("100")
  int relayPollMs();

  /** A worker without a heartbeat for this long is no longer listed as live. */
  @WithName("workers.live-seconds")
  @WithDefault("15")
  int workerLiveSeconds();
}
