package dev.reelfarm.orchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The PostgreSQL advisory locks of the orchestrator replicas, as two-int keys in one namespace
 * ("RFRM"), in one place so that no two uses share a key.
 */
public final class AdvisoryLocks {
  public static final int NAMESPACE = 0x5246524d;

  /** Session lock: held by the leader's election session for as long as it leads. */
  public static final int LEADER = 1;

  /** Transaction lock: one dispatch round at a time over all replicas. */
  public static final int DISPATCH = 2;

  private AdvisoryLocks() {}

  /**
   * Waits for, and holds until the transaction ends, the dispatch lock: two replicas that both
   * believe they lead (for the seconds of a handover) still count the in-flight chunks one after
   * the other, so together they never exceed the bound.
   */
  public static void lockDispatch(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
      s.setInt(1, NAMESPACE);
      s.setInt(2, DISPATCH);
      s.execute();
    }
  }
}
