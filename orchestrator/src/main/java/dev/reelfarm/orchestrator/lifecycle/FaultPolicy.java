package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;

/**
 * The leases, timeouts and failure limits the state machine applies (their meaning is on the keys
 * of {@link ReelfarmConfig}).
 */
public record FaultPolicy(
    int maxAttempts,
    int leaseSeconds,
    int workerFailuresPerJob,
    int workerLiveSeconds,
    int quarantineAfter,
    int probeAfterSeconds,
    int encodeTimeoutSeconds) {

  public static FaultPolicy of(ReelfarmConfig config) {
    return new FaultPolicy(
        config.chunk().maxAttempts(),
        config.chunk().leaseSeconds(),
        config.chunk().workerFailuresPerJob(),
        config.workers().liveSeconds(),
        config.workers().quarantineAfter(),
        config.workers().probeAfterSeconds(),
        config.encode().timeoutSeconds());
  }

  /** The defaults of {@link ReelfarmConfig}, with another limit on a chunk's failed workers. */
  public static FaultPolicy defaults(int maxAttempts) {
    return new FaultPolicy(maxAttempts, 30, 2, 15, 3, 60, 120);
  }
}
