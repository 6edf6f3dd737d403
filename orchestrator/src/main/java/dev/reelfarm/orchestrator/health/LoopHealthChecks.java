package dev.reelfarm.orchestrator.health;

import dev.reelfarm.orchestrator.leadership.Leadership;
import dev.reelfarm.orchestrator.loops.LoopHealth;
import dev.reelfarm.orchestrator.loops.Loops;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health}: the orchestrator's loops, this replica and the leader. Ready while every loop
 * runs and its rounds succeed (a loop whose database or broker is down makes the replica not ready,
 * and ready again once it is back); live while every loop's thread runs (a dead loop does not come
 * back by itself: a restart does).
 */
@ApplicationScoped
public class LoopHealthChecks {
  private final Loops loops;
  private final Leadership leadership;

  public LoopHealthChecks(Loops loops, Leadership leadership) {
    this.loops = loops;
    this.leadership = leadership;
  }

  @Produces
  @Readiness
  @ApplicationScoped
  HealthCheck loopsReady() {
    return () -> respond("reelfarm-loops", true);
  }

  @Produces
  @Liveness
  @ApplicationScoped
  HealthCheck loopsAlive() {
    return () -> respond("reelfarm-loop-threads", false);
  }

  private HealthCheckResponse respond(String name, boolean failingIsDown) {
    boolean leading = leadership.isLeader();
    List<LoopHealth.Status> statuses = loops.statuses(leading);
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named(name)
            .withData("replica", leadership.replicaId())
            .withData("leader", leadership.leader().orElse("none"))
            .withData("leading", leading);
    boolean up = true;
    for (LoopHealth.Status s : statuses) {
      response.withData(s.name(), s.detail());
      up &= failingIsDown ? s.up() : s.running();
    }
    return response.status(up).build();
  }
}
