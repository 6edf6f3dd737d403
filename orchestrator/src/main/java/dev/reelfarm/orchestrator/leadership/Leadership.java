package dev.reelfarm.orchestrator.leadership;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.loops.LoopHealth;
import dev.reelfarm.orchestrator.loops.Loops;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * This replica's part in the election: a {@link LeaderElection} on a connection of its own (not the
 * pool's: the lock lives as long as that one session), ticked every {@code
 * reelfarm.leader.check-ms}. The leader-only loops ask {@link #isLeader()} before each round.
 */
@ApplicationScoped
public class Leadership {
  private final LeaderElection election;
  private final Duration period;
  private final LoopHealth health;
  private BackgroundLoop loop;

  public Leadership(ReelfarmConfig config, Loops loops) {
    ReelfarmConfig.Db db = config.db();
    String replica =
        config.orchestrator().id().orElse("orchestrator-" + ProcessHandle.current().pid());
    this.election =
        new LeaderElection(
            () -> DriverManager.getConnection(db.url(), db.user(), db.password()), replica);
    this.period = Duration.ofMillis(config.leader().checkMs());
    this.health = loops.register("leader-election");
  }

  // Before the loops that ask isLeader() start: the first replica leads from its first round.
  void start(@Observes @Priority(1) StartupEvent ignored) {
    tick();
    loop = BackgroundLoop.every("leader-election", period, this::tick).start();
    health.watching(loop::isRunning);
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (loop != null) loop.close();
    election.close();
  }

  public boolean isLeader() {
    return election.isLeader();
  }

  /** How long this replica has led in its current term; zero while it does not lead. */
  public Duration leadingFor() {
    return election
        .leadingSince()
        .map(since -> Duration.between(since, Instant.now()))
        .orElse(Duration.ZERO);
  }

  public String replicaId() {
    return election.replicaId();
  }

  /** The leading replica as of the latest round. */
  public Optional<String> leader() {
    return election.leader();
  }

  private void tick() {
    try {
      election.tick();
      health.succeeded();
    } catch (SQLException e) {
      health.failed(e); // the next round is one period away: no backoff needed for one query
    }
  }
}
