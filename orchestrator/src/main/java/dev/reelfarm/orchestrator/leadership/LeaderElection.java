package dev.reelfarm.orchestrator.leadership;

import dev.reelfarm.orchestrator.persistence.AdvisoryLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which orchestrator replica leads: the one whose dedicated PostgreSQL session holds the session
 * advisory lock {@link AdvisoryLocks#LEADER}. PostgreSQL releases the lock when that session ends,
 * so a leader that dies (or whose connection is killed) hands over to the next replica whose {@link
 * #tick()} finds the lock free. A leader that loses its connection stops leading at its next tick,
 * before its own loops' next round asks {@link #isLeader()}; the work they do stays safe for the
 * seconds two replicas may both believe they lead (see ChunkDispatcher and the outbox relay: SKIP
 * LOCKED rows, compare-and-set, a transaction lock around dispatch).
 *
 * <p>Not thread-safe for {@link #tick()} (one election thread calls it); {@link #isLeader()} and
 * {@link #leader()} may be read from any thread.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  private static final int LOCK_CLASS = AdvisoryLocks.NAMESPACE;
  private static final int LOCK_ID = AdvisoryLocks.LEADER;

  /** Seconds a liveness check of the election's connection may take before it counts as lost. */
  private static final int VALID_TIMEOUT_SECONDS = 2;

  /** Opens a new connection to the job database. */
  @FunctionalInterface
  public interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private final String replicaId;
  private Connection session;
  private volatile boolean leading;
  private volatile Instant leadingSince;
  private volatile Optional<String> leader = Optional.empty();

  public LeaderElection(Connector connector, String replicaId) {
    this.connector = connector;
    this.replicaId = replicaId;
  }

  public String replicaId() {
    return replicaId;
  }

  /** True while this replica holds the lock, as of its latest {@link #tick()}. */
  public boolean isLeader() {
    return leading;
  }

  /** When this replica's current term as leader began; empty while it does not lead. */
  public Optional<Instant> leadingSince() {
    return leading ? Optional.ofNullable(leadingSince) : Optional.empty();
  }

  /** The replica that held the lock at the latest tick; empty if none or the database is down. */
  public Optional<String> leader() {
    return leader;
  }

  /**
   * One round: a leader checks that its session is still alive, a follower tries to take the lock.
   * Throws when the database cannot be reached (this replica then does not lead).
   */
  public boolean tick() throws SQLException {
    try {
      if (session == null || (leading && !session.isValid(VALID_TIMEOUT_SECONDS))) {
        if (leading) demote("its database session ended");
        reconnect();
      }
      if (!leading && tryLock()) {
        leadingSince = Instant.now();
        leading = true;
        LOG.infof("%s is now the leader", replicaId);
      }
      leader = Optional.ofNullable(holder());
      return leading;
    } catch (SQLException e) {
      if (leading) demote(e.getMessage());
      closeSession();
      leader = Optional.empty();
      throw e;
    }
  }

  /**
   * Gives the lock up: another replica takes over at its next tick. The unlock is explicit because
   * closing the connection returns before the server's backend has ended and let go of the lock.
   */
  @Override
  public void close() {
    if (leading) {
      demote("it is stopping");
      unlock();
    }
    closeSession();
  }

  private void unlock() {
    try {
      callOnLock("pg_advisory_unlock");
    } catch (SQLException e) {
      LOG.debugf("releasing the leader lock (the session's end releases it too): %s", e);
    }
  }

  private void demote(String why) {
    leading = false;
    LOG.warnf("%s stopped leading: %s", replicaId, why);
  }

  private void reconnect() throws SQLException {
    closeSession();
    session = connector.connect();
    session.setAutoCommit(true);
    // The replica's name in pg_stat_activity: how every replica tells who leads.
    session.setClientInfo("ApplicationName", applicationName(replicaId));
  }

  private boolean tryLock() throws SQLException {
    return callOnLock("pg_try_advisory_lock");
  }

  /** Calls a boolean advisory-lock function of PostgreSQL on the leader lock, in this session. */
  private boolean callOnLock(String function) throws SQLException {
    try (PreparedStatement s = session.prepareStatement("SELECT " + function + "(?, ?)")) {
      s.setInt(1, LOCK_CLASS);
      s.setInt(2, LOCK_ID);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  private String holder() throws SQLException {
    try (PreparedStatement s =
        session.prepareStatement(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ?"
                + " AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database"
                + " WHERE datname = current_database())")) {
      s.setLong(1, Integer.toUnsignedLong(LOCK_CLASS));
      s.setLong(2, LOCK_ID);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? replicaOf(r.getString(1)) : null;
      }
    }
  }

  static String applicationName(String replicaId) {
    return "reelfarm-leader:" + replicaId;
  }

  private static String replicaOf(String applicationName) {
    String prefix = applicationName(""); // "reelfarm-leader:"
    return applicationName != null && applicationName.startsWith(prefix)
        ? applicationName.substring(prefix.length())
        : applicationName;
  }

  private void closeSession() {
    if (session == null) return;
    try {
      session.close();
    } catch (SQLException e) {
      LOG.debugf("closing the election session: %s", e);
    }
    session = null;
  }
}
