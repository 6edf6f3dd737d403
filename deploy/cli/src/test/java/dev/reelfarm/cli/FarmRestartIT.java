package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.infra.Ports;
import dev.reelfarm.infra.Processes;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every component of one farm (real PostgreSQL and Kafka, {@link FakeService} for the services, two
 * orchestrator replicas) killed with SIGKILL and restarted in place; then the farm itself is closed
 * and started again in the same directory, keeping its state. Prints kill → ready times.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class FarmRestartIT {

  private static final String TOPIC = "it.kept";

  @TempDir static Path tmp;
  static RepoLayout home;
  static Path farmDir;
  static LocalFarm farm;

  @BeforeAll
  static void startFarm() throws Exception {
    home = FakeHome.create(tmp.resolve("checkout"));
    farmDir = tmp.resolve("farm");
    farm = start();
  }

  private static LocalFarm start() {
    return LocalFarm.builder()
        .home(home.root())
        .dir(farmDir)
        .useEnvironment(false)
        .fresh(false)
        .orchestrators(2)
        .workers(2)
        .start();
  }

  @AfterAll
  static void stopFarm() throws Exception {
    if (farm != null) farm.close();
  }

  @Test
  @Order(1)
  void orchestratorReplicasEachServeOnTheirOwnPortTheFirstOnTheApiPort() throws Exception {
    assertThat(farm.orchestrators())
        .extracting(ServiceProcess::name)
        .containsExactly("orchestrator", "orchestrator-2");
    assertThat(farm.orchestrator()).isSameAs(farm.orchestrators().get(0));
    assertThat(farm.orchestrators()).allMatch(ServiceProcess::isAlive);
    assertThat(Ports.listening(farm.httpPort())).isTrue();
    assertThat(farm.services())
        .extracting(ServiceProcess::name)
        .containsExactly("orchestrator", "orchestrator-2", "worker-1", "worker-2", "encoder");
  }

  @Test
  @Order(2)
  void aServiceKilledHardIsRestartedInItsPlaceWithItsLogKept() {
    for (Supplier<ServiceProcess> pick :
        List.<Supplier<ServiceProcess>>of(
            () -> farm.orchestrators().get(1),
            () -> farm.workers().get(0),
            () -> farm.encoder(),
            () -> farm.orchestrator())) {
      ServiceProcess before = pick.get();
      before.killHard();
      long t0 = System.nanoTime();
      ServiceProcess after = farm.restart(before);
      System.out.printf(
          "%s: kill -9 -> ready again in %d ms%n",
          after.name(), (System.nanoTime() - t0) / 1_000_000);

      assertThat(after.name()).isEqualTo(before.name());
      assertThat(after.pid()).isNotEqualTo(before.pid());
      assertThat(after.isAlive()).isTrue();
      assertThat(pick.get()).isSameAs(after);
      assertThat(after.logStart()).isPositive(); // appended after the first run's output
      // Its own java.io.tmpdir under the farm (that each start empties it: ServiceProcessTest).
      assertThat(ProcessHandle.of(after.pid()).flatMap(Processes::commandLine))
          .hasValueSatisfying(
              command ->
                  assertThat(command)
                      .contains(
                          "-Djava.io.tmpdir=" + farmDir.resolve("tmp").resolve(after.name())));
    }
    assertThat(farm.services()).hasSize(5).allMatch(ServiceProcess::isAlive);
    assertThat(Ports.listening(farm.httpPort())).isTrue();
  }

  @Test
  @Order(3)
  void aLiveServiceIsStoppedAndStartedAgain() {
    ServiceProcess before = farm.workers().get(1);
    ServiceProcess after = farm.restart(before);
    assertThat(before.isAlive()).isFalse();
    assertThat(before.exitCode()).hasValue(143); // SIGTERM, not a kill
    assertThat(after.isAlive()).isTrue();
    assertThat(farm.workers()).containsExactly(farm.workers().get(0), after);
  }

  @Test
  @Order(4)
  void kafkaKilledHardComesBackOnItsPortWithItsRecords() throws Exception {
    String bootstrap = farm.bootstrap();
    try (Admin admin = admin(bootstrap)) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    produce(bootstrap, "before the kill");
    long pid = farm.kafka().orElseThrow().pid();

    farm.killKafka();
    assertThat(farm.kafka().orElseThrow().isAlive()).isFalse();
    long t0 = System.nanoTime();
    farm.restartKafka();
    System.out.printf(
        "kafka: kill -9 -> serving again in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(farm.kafka().orElseThrow().isAlive()).isTrue();
    assertThat(farm.kafka().orElseThrow().pid()).isNotEqualTo(pid);
    assertThat(farm.bootstrap()).isEqualTo(bootstrap);
    assertThat(consumeAll(bootstrap)).containsExactly("before the kill");
    assertThat(Files.readString(farmDir.resolve("pids")))
        .contains("kafka " + farm.kafka().orElseThrow().pid());
  }

  @Test
  @Order(5)
  void postgresKilledHardComesBackOnItsPortWithItsCommittedRows() throws Exception {
    try (Connection c = connect()) {
      c.createStatement().execute("CREATE TABLE kept (v text)");
      c.createStatement().execute("INSERT INTO kept VALUES ('before the kill')");
    }
    int port = farm.postgres().orElseThrow().port();

    farm.killPostgres();
    assertThat(farm.postgres().orElseThrow().isAlive()).isFalse();
    assertThat(Ports.listening(port)).isFalse();
    long t0 = System.nanoTime();
    farm.restartPostgres();
    System.out.printf(
        "postgres: kill -9 -> accepting again in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(farm.postgres().orElseThrow().port()).isEqualTo(port);
    assertThat(farm.postgres().orElseThrow().isAlive()).isTrue();
    assertThat(keptRows()).containsExactly("before the kill");
  }

  @Test
  @Order(6)
  void aFarmStartedAgainInTheSameDirectoryKeepsTheDatabaseTheRecordsAndTheArtifacts()
      throws Exception {
    Path artifact = farm.artifactsDir().resolve("job/clip.mp4");
    Files.createDirectories(artifact.getParent());
    Files.writeString(artifact, "kept");
    farm.close();
    assertThat(FarmProcesses.running(farmDir)).isEmpty();

    farm = start();

    assertThat(keptRows()).containsExactly("before the kill");
    assertThat(consumeAll(farm.bootstrap())).containsExactly("before the kill");
    assertThat(artifact).hasContent("kept");
    assertThat(farm.services()).allMatch(ServiceProcess::isAlive);
  }

  private static Connection connect() throws Exception {
    return DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword());
  }

  private static List<String> keptRows() throws Exception {
    try (Connection c = connect();
        var rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
      var rows = new java.util.ArrayList<String>();
      while (rs.next()) rows.add(rs.getString(1));
      return rows;
    }
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private static void produce(String bootstrap, String value) throws Exception {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, value)).get(30, TimeUnit.SECONDS);
    }
  }

  /** The topic's records from the beginning, polled until one arrives or 30 s pass. */
  private static List<String> consumeAll(String bootstrap) {
    var props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      var partition = new org.apache.kafka.common.TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      var values = new java.util.ArrayList<String>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
      }
      return values;
    }
  }
}
