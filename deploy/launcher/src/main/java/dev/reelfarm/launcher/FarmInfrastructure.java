package dev.reelfarm.launcher;

import dev.reelfarm.infra.EmbeddedPostgresServer;
import dev.reelfarm.infra.KafkaBroker;
import dev.reelfarm.infra.S3ProxyServer;
import dev.reelfarm.infra.TopicSpec;
import dev.reelfarm.schema.messages.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The farm's PostgreSQL, Kafka and (with the S3 store) S3 server: embedded ones started in parallel
 * under the farm directory, or external ones (REELFARM_DB_URL, REELFARM_KAFKA_BOOTSTRAP or the
 * builder's settings), whose missing topics are created.
 */
final class FarmInfrastructure {

  private static final Logger LOG = LoggerFactory.getLogger(FarmInfrastructure.class);

  private volatile EmbeddedPostgresServer postgres;
  private volatile KafkaBroker kafka;
  private FarmArtifacts artifacts;
  private String jdbcUrl;
  private String dbUser;
  private String dbPassword;
  private String bootstrap;

  /** Every farm topic with its partition count; only chunk tasks need no per-key order. */
  static java.util.List<TopicSpec> farmTopics() {
    return Topics.all().stream()
        .map(t -> new TopicSpec(t.name(), t.partitions(), t.equals(Topics.CHUNK_TASKS)))
        .toList();
  }

  /**
   * Starts what is not external and awaits it; start-up times go to {@code timings}.
   *
   * @throws dev.reelfarm.infra.ServiceStartException naming postgres or kafka
   */
  void start(FarmConfig config, FarmDirectory dir, StartGuard guard, Map<String, Duration> timings)
      throws IOException {
    String externalDb =
        config.useEnvironment ? LauncherSettings.get(LauncherSettings.DB_URL).orElse(null) : null;
    if (config.externalDbUrl != null) externalDb = config.externalDbUrl;
    String externalKafka =
        config.useEnvironment
            ? LauncherSettings.get(LauncherSettings.KAFKA_BOOTSTRAP).orElse(null)
            : null;
    if (config.externalBootstrap != null) externalKafka = config.externalBootstrap;

    artifacts = new FarmArtifacts(config);
    ExecutorService pool = Executors.newFixedThreadPool(3, FarmSupervisor.daemon("reelfarm-infra"));
    try {
      Future<Optional<S3ProxyServer>> s3 = pool.submit(() -> artifacts.start(dir, guard));
      Future<EmbeddedPostgresServer> pg =
          externalDb != null
              ? null
              : pool.submit(
                  () ->
                      config.fresh
                          ? EmbeddedPostgresServer.start(
                              dir.postgresData(), dir.logs().resolve("postgres.log"))
                          : EmbeddedPostgresServer.open(
                              dir.postgresData(), dir.logs().resolve("postgres.log")));
      Future<KafkaBroker> broker =
          externalKafka != null
              ? null
              : pool.submit(
                  () ->
                      KafkaBroker.start(
                          dir.kafkaData(),
                          dir.logs().resolve("kafka.log"),
                          farmTopics(),
                          config.advertisedHost));
      RuntimeException failure = null;
      if (pg != null) {
        try {
          EmbeddedPostgresServer server =
              guard.keep(
                  FarmSupervisor.await(pg, "postgres", dir.logs().resolve("postgres.log")),
                  s -> postgres = s);
          timings.put("postgres", server.startupTime());
          LOG.info(
              "postgres ready in {} at {}",
              StartupReport.seconds(server.startupTime()),
              server.jdbcUrl());
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (broker != null) {
        try {
          KafkaBroker started =
              guard.keep(
                  FarmSupervisor.await(broker, "kafka", dir.logs().resolve("kafka.log")),
                  k -> kafka = k);
          timings.put("kafka", started.startupTime());
          LOG.info(
              "kafka ready in {} at {}",
              StartupReport.seconds(started.startupTime()),
              started.bootstrap());
        } catch (RuntimeException e) {
          if (failure == null) failure = e;
          else failure.addSuppressed(e);
        }
      }
      try {
        FarmSupervisor.await(s3, "s3proxy", dir.logs().resolve("s3proxy.log"))
            .ifPresent(
                server -> {
                  timings.put("s3proxy", server.startupTime());
                  LOG.info(
                      "s3proxy ready in {} at {}",
                      StartupReport.seconds(server.startupTime()),
                      server.endpoint());
                });
      } catch (RuntimeException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
      if (failure != null) throw failure;
    } finally {
      pool.shutdown();
    }

    if (postgres != null) {
      jdbcUrl = postgres.jdbcUrl();
      dbUser = postgres.user();
      dbPassword = postgres.password();
    } else {
      jdbcUrl = externalDb;
      boolean fromBuilder = config.externalDbUrl != null;
      dbUser =
          fromBuilder
              ? config.externalDbUser
              : LauncherSettings.get(LauncherSettings.DB_USER).orElse(null);
      dbPassword =
          fromBuilder
              ? config.externalDbPassword
              : LauncherSettings.get(LauncherSettings.DB_PASSWORD).orElse(null);
      LOG.info("using external PostgreSQL {}", jdbcUrl);
    }
    if (kafka != null) {
      bootstrap = kafka.bootstrap();
    } else {
      bootstrap = externalKafka;
      LOG.info("using external Kafka {}", bootstrap);
      KafkaBroker.ensureTopics(bootstrap, farmTopics());
    }
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  String dbUser() {
    return dbUser;
  }

  String dbPassword() {
    return dbPassword;
  }

  String bootstrap() {
    return bootstrap;
  }

  /**
   * The embedded broker's listener for other machines, when the farm advertises a host (an external
   * Kafka's bootstrap is taken to be reachable as it is).
   */
  Optional<String> externalBootstrap() {
    return kafka == null ? Optional.empty() : kafka.externalBootstrap();
  }

  /** The artifact store the services are given (after {@link #start}). */
  FarmArtifacts artifacts() {
    return artifacts;
  }

  Optional<EmbeddedPostgresServer> postgres() {
    return Optional.ofNullable(postgres);
  }

  Optional<KafkaBroker> kafka() {
    return Optional.ofNullable(kafka);
  }

  /** {@code kill -9} of the embedded broker. */
  void killKafka() {
    embeddedKafka().kill();
  }

  /** Starts the embedded broker again, same port and data; returns once it serves. */
  synchronized void restartKafka(StartGuard guard) {
    try {
      guard.keep(embeddedKafka().restart(), k -> kafka = k);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code kill -9} of the embedded PostgreSQL (postmaster and backends). */
  void killPostgres() {
    embeddedPostgres().kill();
  }

  /** Starts the embedded PostgreSQL again, same port and data; returns once it accepts. */
  synchronized void restartPostgres(StartGuard guard) {
    try {
      guard.keep(embeddedPostgres().restart(), p -> postgres = p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private KafkaBroker embeddedKafka() {
    return kafka().orElseThrow(() -> new IllegalStateException("the farm uses an external Kafka"));
  }

  private EmbeddedPostgresServer embeddedPostgres() {
    return postgres()
        .orElseThrow(() -> new IllegalStateException("the farm uses an external PostgreSQL"));
  }

  /**
   * Stops Kafka, then PostgreSQL (the embedded ones; external servers are left alone), after a
   * restart in progress: the server it is starting must not outlive the farm.
   */
  synchronized void stop() {
    kafka().ifPresent(StartGuard::stopQuietly);
    postgres().ifPresent(StartGuard::stopQuietly);
    if (artifacts != null) artifacts.stop();
  }
}
