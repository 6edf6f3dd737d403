package dev.reelfarm.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller in one process),
 * run as a child JVM from the {@code kafka_2.13} jars on this process's classpath. On start it
 * formats its storage, waits until an admin client sees the node, and creates the topics it is
 * given (the farm passes {@code Topics.all()}).
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /** A controlled shutdown of a single node takes 1-3 s; past this it is killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final ServiceProcess process;
  private final int port;
  private final Optional<String> externalBootstrap;
  private final List<TopicSpec> topics;
  private final Duration startupTime;

  private KafkaBroker(
      ServiceProcess process,
      int port,
      Optional<String> externalBootstrap,
      List<TopicSpec> topics,
      Duration startupTime) {
    this.process = process;
    this.port = port;
    this.externalBootstrap = externalBootstrap;
    this.topics = List.copyOf(topics);
    this.startupTime = startupTime;
  }

  /**
   * Starts a broker with its data in {@code dir/data} and its configuration in {@code
   * dir/server.properties}; broker output goes to {@code logFile}. Storage that is already
   * formatted is reused.
   *
   * @throws ServiceStartException when the broker does not start or the topics cannot be created
   */
  public static KafkaBroker start(Path dir, Path logFile, List<TopicSpec> topics)
      throws IOException {
    return start(dir, logFile, topics, Optional.empty());
  }

  /**
   * {@link #start(Path, Path, List)} with, when {@code advertisedHost} is given, a second listener
   * for other machines: on every interface, announced as {@code advertisedHost:<its port>} ({@link
   * #externalBootstrap}). Clients get the addresses of the listener they connected through, so the
   * services on this machine keep using 127.0.0.1 and the address need not be this machine's own (a
   * NAT or a load balancer in front of it works).
   */
  public static KafkaBroker start(
      Path dir, Path logFile, List<TopicSpec> topics, Optional<String> advertisedHost)
      throws IOException {
    long t0 = System.nanoTime();
    Files.createDirectories(dir);
    int port = Ports.free();
    int controllerPort = Ports.free();
    Optional<String> external = advertisedHost.map(host -> host + ":" + Ports.free());
    Path config = dir.resolve("server.properties");
    writeConfig(
        config,
        serverProperties(dir.resolve("data").toAbsolutePath(), port, controllerPort, external));
    // Formatting again would pick a new cluster id, which formatted storage refuses.
    if (!Files.exists(dir.resolve("data/meta.properties")))
      format(config, dir.resolve("storage-format.log"));
    long formatted = System.nanoTime();

    ServiceProcess process =
        ServiceProcess.builder("kafka")
            .classpath(Classpath.current())
            .mainClass("kafka.Kafka")
            .args(config.toAbsolutePath().toString())
            // Kafka's scripts use a 1 GiB heap; a local farm's few small messages need far less.
            // C1 only and the serial collector: the broker starts ~25% faster on 2 cores (7.7 s to
            // 5.9 s, measured) and its throughput here is a few messages per second.
            .jvmArgs(
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true")
            // Its own levels: a simplelogger.properties on the shared classpath must not quiet it.
            .systemProperty("org.slf4j.simpleLogger.defaultLogLevel", "info")
            .systemProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "info")
            .systemProperty("org.slf4j.simpleLogger.log.kafka", "info")
            .systemProperty("org.slf4j.simpleLogger.showDateTime", "true")
            .systemProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS")
            .logFile(logFile)
            .start();
    LOG.info("kafka: storage ready in {} ms", (formatted - t0) / 1_000_000);
    awaitServing(process, port, topics);
    return new KafkaBroker(
        process, port, external, topics, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** Until an admin client sees the node and the topics exist; kills the process on failure. */
  private static void awaitServing(ServiceProcess process, int port, List<TopicSpec> topics) {
    long t0 = System.nanoTime();
    try {
      process.awaitReady(p -> nodeVisible(port), READY_TIMEOUT);
      long visible = System.nanoTime();
      createTopics("127.0.0.1:" + port, topics);
      LOG.info(
          "kafka: node visible after {} ms, topics created in {} ms",
          (visible - t0) / 1_000_000,
          (System.nanoTime() - visible) / 1_000_000);
    } catch (RuntimeException e) {
      process.killHard();
      if (e instanceof ServiceStartException) throw e;
      throw new ServiceStartException(
          "kafka",
          "topic creation failed: " + e.getMessage(),
          process.logFile(),
          process.logTail(40),
          e);
    }
  }

  /** {@code kill -9} of the broker, as a crash: no controlled shutdown. */
  public void kill() {
    process.killHard();
  }

  /**
   * Starts the broker again (stopping it first if it still runs) on the same ports with the same
   * data, so topics, records and committed offsets are kept; its output is appended to the same
   * log. Returns once it serves. This object stays the dead broker; use the one returned.
   *
   * @throws ServiceStartException when it does not come back
   */
  public KafkaBroker restart() throws IOException {
    if (process.isAlive()) process.stop(STOP_GRACE);
    long t0 = System.nanoTime();
    ServiceProcess again = process.startAgain();
    awaitServing(again, port, topics);
    return new KafkaBroker(
        again, port, externalBootstrap, topics, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** The broker configuration; the replication settings are what a one-node cluster needs. */
  static Map<String, String> serverProperties(
      Path dataDir, int port, int controllerPort, Optional<String> externalBootstrap) {
    var p = new LinkedHashMap<String, String>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String listeners =
        "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
    String advertised = "PLAINTEXT://127.0.0.1:" + port;
    if (externalBootstrap.isPresent()) {
      String external = externalBootstrap.get();
      listeners += ",EXTERNAL://0.0.0.0:" + external.substring(external.lastIndexOf(':') + 1);
      advertised += ",EXTERNAL://" + external;
    }
    p.put("listeners", listeners);
    p.put("advertised.listeners", advertised);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    p.put("num.partitions", "3");
    // Internal topics default to replication factor 3. With one node, __consumer_offsets is then
    // never created and group consumers wait forever without an error (measured).
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // The default 3 s delay only helps when many members join at once; here it is dead time.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Every topic is created here with its partition count. Auto-creation would let a consumer that
    // subscribes first create reelfarm.chunk.tasks with 3 partitions instead of 64.
    p.put("auto.create.topics.enable", "false");
    // A broker killed with -9 and started again registers anew, and the controller refuses the new
    // registration until the dead one's session lapses (default 9 s, most of a restart's time).
    // One node heartbeats to itself over loopback, so a short session is safe.
    p.put("broker.session.timeout.ms", "4000");
    p.put("broker.heartbeat.interval.ms", "1000");
    return p;
  }

  private static void writeConfig(Path file, Map<String, String> properties) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("# Written by the Reelfarm local farm (KafkaBroker); rewritten on every start.\n");
      for (var e : properties.entrySet()) w.write(e.getKey() + "=" + e.getValue() + "\n");
    }
  }

  /**
   * {@code kafka-storage format}, run in this JVM: {@code StorageTool.execute} is what the
   * command-line tool calls, without its {@code System.exit}, and saves a JVM start (~1 s).
   */
  private static void format(Path config, Path outputFile) throws IOException {
    var output = new ByteArrayOutputStream();
    String[] args = {
      "format",
      "--cluster-id",
      Uuid.randomUuid().toString(),
      "--config",
      config.toAbsolutePath().toString(),
      "--ignore-formatted"
    };
    int rc;
    try (var out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      rc = kafka.tools.StorageTool.execute(args, out);
    } catch (RuntimeException e) {
      throw new ServiceStartException(
          "kafka", "formatting the storage failed: " + e.getMessage(), null, List.of(), e);
    }
    String text = output.toString(StandardCharsets.UTF_8);
    Files.writeString(outputFile, text);
    if (rc != 0) {
      throw new ServiceStartException(
          "kafka", "kafka-storage format exited with " + rc, outputFile, text.lines().toList());
    }
  }

  private static Admin admin(String bootstrap) {
    var props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    return Admin.create(props);
  }

  private static boolean nodeVisible(int port) throws Exception {
    if (Ports.listening(port)) {
      try (Admin admin = admin("127.0.0.1:" + port)) {
        return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
      }
    }
    return false; // not listening yet: skip the admin client and its connection warnings
  }

  private static void createTopics(String bootstrap, List<TopicSpec> topics) {
    try (Admin admin = admin(bootstrap)) {
      createMissingTopics(admin, topics);
      // Creates __consumer_offsets now, before the services start, instead of on the first join.
      admin.listConsumerGroupOffsets("reelfarm-local-warmup").all().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Creates the {@code topics} that an external cluster lacks, with the cluster's default
   * replication factor. Existing topics are left as they are, except that a growable one with fewer
   * partitions than asked is grown.
   *
   * @throws IllegalStateException when the cluster cannot be reached or refuses
   */
  public static void ensureTopics(String bootstrap, List<TopicSpec> topics) {
    try (Admin admin = admin(bootstrap)) {
      createMissingTopics(admin, topics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("creating topics on " + bootstrap + ": " + e.getMessage(), e);
    }
  }

  private static void createMissingTopics(Admin admin, List<TopicSpec> wanted) throws Exception {
    var topics = new ArrayList<NewTopic>();
    for (TopicSpec topic : wanted) {
      // Empty replication factor: the broker's default (1 here, the cluster's own elsewhere).
      topics.add(new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty()));
    }
    List<String> existing = new ArrayList<>();
    for (var entry : admin.createTopics(topics).values().entrySet()) {
      try {
        entry.getValue().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // Reused storage or an external cluster already has it.
        if (!(e.getCause() instanceof TopicExistsException)) throw e;
        existing.add(entry.getKey());
      }
    }
    for (TopicSpec topic : wanted) {
      if (topic.growable() && existing.contains(topic.name())) grow(admin, topic);
    }
  }

  /**
   * An existing topic with fewer partitions than asked is grown (never shrunk): a chunk-task topic
   * of an older farm with 12 partitions capped how many workers got work.
   */
  private static void grow(Admin admin, TopicSpec topic) throws Exception {
    int have =
        admin
            .describeTopics(List.of(topic.name()))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(topic.name())
            .partitions()
            .size();
    if (have >= topic.partitions()) return;
    LOG.info("growing {} from {} to {} partitions", topic.name(), have, topic.partitions());
    admin
        .createPartitions(Map.of(topic.name(), NewPartitions.increaseTo(topic.partitions())))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  /** {@code host:port} for {@code bootstrap.servers} on this machine. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** {@code advertisedHost:port} for other machines, when the broker was started with one. */
  public Optional<String> externalBootstrap() {
    return externalBootstrap;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return process.logFile();
  }

  /** From the call to {@link #start} (or {@link #restart}) until the topics existed. */
  public Duration startupTime() {
    return startupTime;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public ServiceProcess process() {
    return process;
  }

  /** SIGTERM (controlled shutdown), then SIGKILL after 20 s. */
  @Override
  public void close() {
    process.stop(STOP_GRACE);
  }
}
