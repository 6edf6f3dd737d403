package dev.reelfarm.testing;

import dev.reelfarm.infra.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL for tests: one embedded server per test JVM (started on first use, ~3-5 s), and
 * for each test class a fresh database migrated with the project's Flyway migrations. Test methods
 * and constructors get it as a {@link TestDatabase} or a {@link DataSource} parameter. Use through
 * {@link WithPostgres}.
 *
 * <p>As root, PostgreSQL runs through {@code unshare -U} (see {@link EmbeddedPostgresServer}).
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(PostgresExtension.class);
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @Override
  public void beforeAll(ExtensionContext context) {
    database(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestDatabase.class || type == DataSource.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestDatabase db = database(context);
    return parameter.getParameter().getType() == DataSource.class ? db.dataSource() : db;
  }

  /** The test class's database, created and migrated the first time the class asks. */
  private static TestDatabase database(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            classContext.getRequiredTestClass(),
            testClass -> create(server(context), testClass),
            TestDatabase.class);
  }

  /** The class's context, also from a method's (or a parameterized invocation's) context. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent()) c = c.getParent().orElseThrow();
    return c;
  }

  private static EmbeddedPostgresServer server(ExtensionContext context) {
    return SharedServers.get(
        context,
        EmbeddedPostgresServer.class,
        // Not durable: a test database is thrown away with its JVM, so fsync buys nothing here
        // (the farms the launcher starts stay durable).
        dir ->
            EmbeddedPostgresServer.start(dir.resolve("data"), dir.resolve("postgres.log"), false));
  }

  private static TestDatabase create(EmbeddedPostgresServer server, Class<?> testClass) {
    String name =
        ("t" + DATABASES.incrementAndGet() + "_" + testClass.getSimpleName())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_");
    String name63 = name.length() > 63 ? name.substring(0, 63) : name;
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name63);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name63, e);
    }
    String url = server.jdbcUrl().substring(0, server.jdbcUrl().lastIndexOf('/') + 1) + name63;
    TestDatabase db = new TestDatabase(name63, url, server.user(), server.password());
    Flyway.configure()
        .dataSource(db.dataSource())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return db;
  }
}
