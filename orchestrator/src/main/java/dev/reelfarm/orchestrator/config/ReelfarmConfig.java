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

  /** {@code reelfarm.planning.*}: how a request becomes chunks. */
  Planning planning();

  /** {@code reelfarm.dispatch.*}: admission of chunks to the workers. */
  Dispatch dispatch();

  /** {@code reelfarm.chunk.*}: a chunk's runs. */
  Chunk chunk();

  /** {@code reelfarm.relay.*}: the outbox relay's loop. */
  Relay relay();

  /** {@code reelfarm.workers.*}: which workers count as live. */
  Workers workers();

  interface Planning {
    /** Native frames a sequential chunk shares with its predecessor (its conditioning context). */
    @WithDefault("2")
    int contextFrames();

    /** Frames neighbouring infill chunks share in anchored mode (1 = just their keyframe). */
    @WithDefault("1")
    int overlapFrames();
  }

  interface Dispatch {
    /** Chunks dispatched or running at once, over all jobs: the farm's admission bound. */
    @WithDefault("64")
    int maxInFlight();
  }

  interface Chunk {
    /** Runs a chunk may fail before its job fails. A crashed worker's run does not count. */
    @WithDefault("3")
    int maxAttempts();
  }

  interface Relay {
    /** How often the outbox relay and dispatcher look for work when not woken up, in ms. */
    @WithDefault("100")
    int pollMs();
  }

  interface Workers {
    /** A worker without a heartbeat for this long is no longer listed as live. */
    @WithDefault("15")
    int liveSeconds();
  }
}
