package dev.reelfarm.orchestrator.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions on a real PostgreSQL: a deadlock victim is run again; other failures are not. */
@WithPostgres
class DatabaseTest {
  private final TestDatabase database;
  private final Database db;

  DatabaseTest(TestDatabase database) {
    this.database = database;
    this.db = new Database(database.dataSource());
  }

  @BeforeEach
  void twoRows() throws SQLException {
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS counter (id int PRIMARY KEY, n int NOT NULL)");
      s.execute("TRUNCATE counter");
      s.execute("INSERT INTO counter VALUES (1, 0), (2, 0)");
    }
  }

  private static void increment(Connection c, int id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE counter SET n = n + 1 WHERE id = ?")) {
      s.setInt(1, id);
      s.executeUpdate();
    }
  }

  private int count(int id) throws SQLException {
    try (Connection c = database.connect();
        PreparedStatement s = c.prepareStatement("SELECT n FROM counter WHERE id = ?")) {
      s.setInt(1, id);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  @Test
  void theVictimOfADeadlockIsRunAgainAndBothTransactionsCommit() throws Exception {
    // Each first run locks its own row, waits until the other holds its row, then wants it:
    // PostgreSQL aborts one of the two (deadlock_detected) after deadlock_timeout.
    CyclicBarrier bothHoldTheirRow = new CyclicBarrier(2);
    AtomicInteger runs = new AtomicInteger();
    Database.Work<String> oneThenTwo = crossing(1, 2, bothHoldTheirRow, runs);
    Database.Work<String> twoThenOne = crossing(2, 1, bothHoldTheirRow, runs);

    var first = CompletableFuture.supplyAsync(() -> db.inTransaction(oneThenTwo));
    var second = CompletableFuture.supplyAsync(() -> db.inTransaction(twoThenOne));

    assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo("1 then 2");
    assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo("2 then 1");
    assertThat(runs).as("runs of the two transactions: one of them ran twice").hasValue(3);
    assertThat(count(1)).isEqualTo(2);
    assertThat(count(2)).isEqualTo(2);
  }

  private static Database.Work<String> crossing(
      int mine, int theirs, CyclicBarrier bothHoldTheirRow, AtomicInteger runs) {
    AtomicInteger myRuns = new AtomicInteger();
    return c -> {
      runs.incrementAndGet();
      increment(c, mine);
      if (myRuns.incrementAndGet() == 1) {
        try {
          bothHoldTheirRow.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      increment(c, theirs);
      return mine + " then " + theirs;
    };
  }

  @Test
  void aFailureThatIsNotAConflictIsRunOnceAndRolledBack() throws Exception {
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      runs.incrementAndGet();
                      increment(c, 1);
                      try (Statement s = c.createStatement()) {
                        return s.execute("SELECT * FROM no_such_table");
                      }
                    }))
        .isInstanceOf(Database.PersistenceException.class)
        .hasMessageContaining("no_such_table");
    assertThat(runs).hasValue(1);
    assertThat(count(1)).isZero();
  }

  @Test
  void aConflictIsRecognisedThroughTheCausesOfAFailure() {
    var deadlock = new SQLException("deadlock detected", "40P01");
    var serialization = new SQLException("could not serialize access", "40001");

    assertThat(Database.isRetryableConflict(deadlock)).isTrue();
    assertThat(Database.isRetryableConflict(new IllegalStateException(serialization))).isTrue();
    assertThat(Database.isRetryableConflict(new SQLException("unique violation", "23505")))
        .isFalse();
    assertThat(Database.isRetryableConflict(new SQLException("connection refused", "08001")))
        .isFalse();
  }
}
