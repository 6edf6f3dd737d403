package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.schema.messaging.KafkaClients;
import java.time.Duration;

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

  /**
   * How long a new leader waits before it judges leases, heartbeats and encodes: the progress and
   * heartbeats sent while no orchestrator was reading are still on the topics, and its event
   * consumer reads them only once the dead replica's consumer session has expired. Judged earlier,
   * every healthy worker of a farm whose orchestrator restarted would look lost.
   */
  public static final Duration CATCH_UP = KafkaClients.SESSION_TIMEOUT.plusSeconds(5);

  /** Whether a leader that has led for {@code ledFor} has read the backlog and may judge. */
  public boolean mayJudgeLeases(Duration ledFor) {
    return ledFor.compareTo(CATCH_UP) >= 0;
  }

  /** The defaults of {@link ReelfarmConfig}, with another limit on a chunk's failed workers. */
  public static FaultPolicy defaults(int maxAttempts) {
    return new FaultPolicy(maxAttempts, 30, 2, 15, 3, 60, 120);
  }
}
