package dev.reelfarm.orchestrator.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas' elections on one real PostgreSQL. */
@WithPostgres
class LeaderElectionTest {
  private final TestDatabase database;
  private final LeaderElection a;
  private final LeaderElection b;

  LeaderElectionTest(TestDatabase database) {
    this.database = database;
    this.a = new LeaderElection(database::connect, "replica-a");
    this.b = new LeaderElection(database::connect, "replica-b");
  }

  @AfterEach
  void closeBoth() {
    a.close();
    b.close();
  }

  @Test
  void exactlyOneOfTwoReplicasLeadsAndBothKnowWhich() throws Exception {
    for (int round = 0; round < 3; round++) {
      a.tick();
      b.tick();
    }

    assertThat(a.isLeader()).isTrue();
    assertThat(b.isLeader()).isFalse();
    assertThat(a.leader()).contains("replica-a");
    assertThat(b.leader()).contains("replica-a");
  }

  @Test
  void killingTheLeadersSessionHandsLeadershipOver() throws Exception {
    a.tick();
    b.tick();
    Instant beforeHandover = Instant.now();
    assertThat(b.leadingSince()).isEmpty();

    terminateSessionOf("replica-a");
    b.tick();
    assertThat(b.isLeader()).as("the lock died with a's session").isTrue();
    assertThat(b.leadingSince()).as("a new term").get().matches(t -> !t.isBefore(beforeHandover));
    assertThat(a.tick()).as("a leader that lost its session stops leading").isFalse();
    assertThat(a.leadingSince()).isEmpty();
    assertThat(a.leader()).as("a reconnected as a follower").contains("replica-b");
    a.tick();
    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void aLeaderThatStopsHandsOverAtTheNextTick() throws Exception {
    a.tick();
    b.tick();

    a.close();
    assertThat(a.isLeader()).isFalse();
    assertThat(b.tick()).isTrue();
    assertThat(b.leader()).contains("replica-b");
  }

  @Test
  void aReplicaThatCannotReachTheDatabaseDoesNotLead() {
    LeaderElection cut =
        new LeaderElection(
            () -> {
              throw new SQLException("Connection refused", "08001");
            },
            "replica-c");

    assertThatThrownBy(cut::tick).isInstanceOf(SQLException.class);
    assertThat(cut.isLeader()).isFalse();
    assertThat(cut.leader()).isEmpty();
  }

  private void terminateSessionOf(String replica) throws SQLException {
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute(
          // Waits (up to 5 s) until the backend is gone, as a crashed leader's is.
          "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = '"
              + LeaderElection.applicationName(replica)
              + "'");
    }
  }
}
