package dev.reelfarm.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database of its own for one test class on the shared test PostgreSQL, migrated with the schema
 * module's Flyway migrations (the same the orchestrator applies at start).
 */
public final class TestDatabase {
  private final String name;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

  TestDatabase(String name, String jdbcUrl, String user, String password) {
    this.name = name;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    dataSource.setUrl(jdbcUrl);
    dataSource.setUser(user);
    dataSource.setPassword(password);
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Connections to this test database (no pool: tests open few). */
  public DataSource dataSource() {
    return dataSource;
  }

  public Connection connect() throws SQLException {
    return dataSource.getConnection();
  }

  /**
   * Empties every table the migrations created (not Flyway's history), restarting identities, so a
   * test method can start from an empty farm without a new database. The rows a migration seeds
   * (the built-in team every job defaults to) are put back.
   */
  /** The team V9 seeds; jobs without a team belong to it. */
  public static final String BUILT_IN_TEAM = "00000000-0000-0000-0000-000000000001";

  public void truncateAll() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$ DECLARE t text; BEGIN"
              + " SELECT string_agg(format('%I', tablename), ', ') INTO t FROM pg_tables"
              + " WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history';"
              + " IF t IS NOT NULL THEN EXECUTE 'TRUNCATE ' || t || ' RESTART IDENTITY CASCADE'; END IF;"
              + " END $$");
      // Only in the project's schema: this class also serves databases of other migrations.
      s.execute(
          "DO $$ BEGIN IF to_regclass('public.team') IS NOT NULL THEN"
              + " INSERT INTO team (id, name) VALUES ('"
              + BUILT_IN_TEAM
              + "', 'default'); END IF; END $$");
    }
  }
}
