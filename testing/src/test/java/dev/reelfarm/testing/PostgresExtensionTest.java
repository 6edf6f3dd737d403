package dev.reelfarm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithPostgres
class PostgresExtensionTest {
  private final TestDatabase db;

  PostgresExtensionTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void theDatabaseIsMigratedWithTheMigrationsOnTheClasspath(DataSource dataSource)
      throws Exception {
    assertThat(tables(dataSource)).contains("sample", "flyway_schema_history");
  }

  @Test
  void truncateAllEmptiesTheTablesAndKeepsTheSchema() throws Exception {
    try (Connection c = db.connect()) {
      c.createStatement().execute("INSERT INTO sample (name) VALUES ('a'), ('b')");
      db.truncateAll();
      try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM sample")) {
        r.next();
        assertThat(r.getInt(1)).isZero();
      }
    }
    assertThat(tables(db.dataSource())).contains("sample", "flyway_schema_history");
  }

  @Nested
  class AnotherTestClass {
    @Test
    void getsADatabaseOfItsOwn(TestDatabase own) {
      assertThat(own.name()).isNotEqualTo(db.name());
      assertThat(own.jdbcUrl()).endsWith("/" + own.name());
    }
  }

  private static List<String> tables(DataSource dataSource) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        ResultSet r =
            c.createStatement()
                .executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
      while (r.next()) names.add(r.getString(1));
    }
    return names;
  }
}
