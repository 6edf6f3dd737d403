package dev.reelfarm.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The farm's infrastructure on its own: a real PostgreSQL and a real KRaft broker. */
class EmbeddedInfraIT {

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void embeddedPostgresAnswersSqlAndRemovesItsDataOnClose() throws Exception {
    Path data = dir.resolve("pg");
    try (var pg = EmbeddedPostgresServer.start(data, dir.resolve("logs/postgres.log"))) {
      System.out.printf(
          "postgres ready in %d ms at %s%n", pg.startupTime().toMillis(), pg.jdbcUrl());
      try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
          var rs = c.createStatement().executeQuery("SELECT version(), current_database()")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).startsWith("PostgreSQL 17");
        assertThat(rs.getString(2)).isEqualTo(EmbeddedPostgresServer.DATABASE);
      }
      assertThat(Ports.listening(pg.port())).isTrue();
    }
    assertThat(data).doesNotExist();
  }

  @Test
  @Timeout(120)
  void embeddedPostgresIsDurableByDefaultAndFastOnlyWhenAskedTo() throws Exception {
    assertThat(settings(EmbeddedPostgresServer.start(dir.resolve("durable"), dir.resolve("d.log"))))
        .as("a committed job must survive a crash")
        .isEqualTo(Map.of("fsync", "on", "synchronous_commit", "on"));
    assertThat(
            settings(
                EmbeddedPostgresServer.start(dir.resolve("fast"), dir.resolve("f.log"), false)))
        .isEqualTo(Map.of("fsync", "off", "synchronous_commit", "off"));
  }

  private static Map<String, String> settings(EmbeddedPostgresServer server) throws Exception {
    try (server;
        var c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        var s = c.createStatement()) {
      Map<String, String> values = new java.util.TreeMap<>();
      for (String name : List.of("fsync", "synchronous_commit")) {
        try (var rs = s.executeQuery("SHOW " + name)) {
          rs.next();
          values.put(name, rs.getString(1));
        }
      }
      return values;
    }
  }

  @Test
  @Timeout(120)
  void kafkaBrokerHasTheTopicsAskedForAndServesAConsumerGroup() throws Exception {
    var tasks = new TopicSpec("it.tasks", 8, true);
    var events = new TopicSpec("it.events", 3, false);
    try (var kafka =
        KafkaBroker.start(
            dir.resolve("kafka"), dir.resolve("logs/kafka.log"), List.of(tasks, events))) {
      System.out.printf(
          "kafka ready in %d ms at %s%n", kafka.startupTime().toMillis(), kafka.bootstrap());

      var adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
      try (Admin admin = Admin.create(adminProps)) {
        assertThat(partitions(admin, tasks, events))
            .isEqualTo(Map.of("it.tasks", 8, "it.events", 3));

        // An existing topic is grown only when its consumers need no per-key order.
        KafkaBroker.ensureTopics(
            kafka.bootstrap(),
            List.of(new TopicSpec("it.tasks", 16, true), new TopicSpec("it.events", 5, false)));
        assertThat(partitions(admin, tasks, events))
            .isEqualTo(Map.of("it.tasks", 16, "it.events", 3));
      }

      long t0 = System.nanoTime();
      var producerProps = new Properties();
      producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
      producerProps.put(
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      producerProps.put(
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      try (var producer = new KafkaProducer<String, String>(producerProps)) {
        producer
            .send(new ProducerRecord<>(events.name(), "job-1", "hello"))
            .get(30, TimeUnit.SECONDS);
      }

      var consumerProps = new Properties();
      consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-infra-it");
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      consumerProps.put(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      consumerProps.put(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      try (var consumer = new KafkaConsumer<String, String>(consumerProps)) {
        consumer.subscribe(List.of(events.name()));
        List<String> values = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        assertThat(values).containsExactly("hello");
        consumer.commitSync(Duration.ofSeconds(10)); // the group coordinator works, too
      }
      System.out.printf(
          "produce + group consume + commit in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static Map<String, Integer> partitions(Admin admin, TopicSpec... topics)
      throws Exception {
    Map<String, TopicDescription> described =
        admin
            .describeTopics(java.util.Arrays.stream(topics).map(TopicSpec::name).toList())
            .allTopicNames()
            .get(30, TimeUnit.SECONDS);
    return described.values().stream()
        .collect(Collectors.toMap(TopicDescription::name, t -> t.partitions().size()));
  }
}
