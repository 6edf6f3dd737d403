package dev.reelfarm.orchestrator.config;

import dev.reelfarm.schema.config.ArtifactsConfig;
import dev.reelfarm.schema.config.KafkaConfig;
import dev.reelfarm.schema.config.ModelConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The orchestrator's own settings ({@code reelfarm.*}; env vars {@code REELFARM_*}). */
@ConfigMapping(prefix = "reelfarm")
public interface ReelfarmConfig {

  /** {@code reelfarm.kafka.*}: the brokers, shared with the worker and encoder. */
  KafkaConfig kafka();

  /** {@code reelfarm.artifacts.*}: the artifact store, shared with the worker and encoder. */
  ArtifactsConfig artifacts();

  /** {@code reelfarm.model.*}: the bundle whose bundle.json drives planning (fps, chunk length). */
  ModelConfig model();

  /**
   * {@code reelfarm.db.*}: the job database (url, user, password); defaults and the mapping onto
   * {@code quarkus.datasource.*} are in application.properties.
   */
  Db db();

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

  interface Db {
    /** JDBC URL of the job database (default: a local PostgreSQL on 5432, database reelfarm). */
    String url();

    String user();

    String password();
  }

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
