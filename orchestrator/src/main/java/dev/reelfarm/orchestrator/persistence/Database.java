package dev.reelfarm.orchestrator.persistence;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Runs work in one JDBC transaction: committed if it returns, rolled back if it throws.
 *
 * <p>A transaction PostgreSQL aborts as a deadlock victim or a serialization failure is run again
 * from the start, as PostgreSQL's documentation asks of its clients: such an abort says nothing
 * about the request, only that another transaction took the same rows in another order (a cancel
 * and a worker's report on the same job, say). The work must therefore touch nothing outside the
 * database that a second run would double; all of the farm's transactions build their results
 * inside the closure.
 */
@ApplicationScoped
public class Database {
  private static final Logger LOG = Logger.getLogger(Database.class);

  /** serialization_failure and deadlock_detected: the transaction may succeed if run again. */
  private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

  /** Runs of one transaction at most; a conflict that outlasts them is a 503 like any other. */
  private static final int MAX_RUNS = 5;

  private final DataSource dataSource;
  private final RetryPolicy<Object> conflicts =
      RetryPolicy.builder()
          .handleIf(Database::isRetryableConflict)
          .withMaxAttempts(MAX_RUNS)
          // Jittered, so that the two sides of a deadlock do not meet again at the same instant.
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(400))
          .withJitter(0.5)
          .onRetry(
              e ->
                  LOG.debugf(
                      "transaction run %d aborted (%s), running it again",
                      e.getAttemptCount(), e.getLastException().getMessage()))
          .build();

  public Database(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  public <T> T inTransaction(Work<T> work) {
    try {
      return Failsafe.with(conflicts).get(() -> once(work));
    } catch (FailsafeException e) {
      // Failsafe wraps the checked exception of the last run.
      if (e.getCause() instanceof SQLException sql) throw new PersistenceException(sql);
      throw e;
    }
  }

  private <T> T once(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  static boolean isRetryableConflict(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause())
      if (t instanceof SQLException sql && RETRYABLE_STATES.contains(sql.getSQLState()))
        return true;
    return false;
  }

  /** A database failure: the caller cannot fix it, the request is retried or fails with 503. */
  public static final class PersistenceException extends RuntimeException {
    public PersistenceException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
