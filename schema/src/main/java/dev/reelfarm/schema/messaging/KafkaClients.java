package dev.reelfarm.schema.messaging;

import dev.reelfarm.schema.config.KafkaConfig;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds every Kafka client of the farm in one place: string keys, JSON byte values (see {@code
 * Topic}), durable producers. Callers add what is theirs to the returned properties (e.g. a
 * consumer's offset reset) before creating the client.
 */
public final class KafkaClients {
  /**
   * Upper bound for one send, broker retries included. Past it the send fails and the caller's
   * retry or failure path runs: better than a service blocked forever on a lost broker.
   */
  public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long a caller waits for a send it must know is durable (a task's result, before its offset
   * is committed): the producer's own bound plus a margin, so the producer reports first.
   */
  public static final Duration ACK_WAIT = DELIVERY_TIMEOUT.plusSeconds(5);

  /**
   * One request to a broker; several fit in {@link #DELIVERY_TIMEOUT}, so a slow broker is retried.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long closing a client may take to flush sends and leave its group: enough for a healthy
   * broker, short enough that a service shutting down beside a dead broker still exits.
   */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long a consumer that stopped heartbeating (killed, frozen) keeps its partitions. Kafka's 45
   * s default held a killed encoder's or orchestrator's partitions that long, so the restarted
   * successor sat idle (measured: the job finished 60 s after its encoder was killed and restarted
   * at once). Not much less either: with 10 s, a live encoder on a starved 2-core machine (load 26)
   * missed its heartbeats and was evicted mid-encode, which costs a second encode. Services may set
   * their own (workers use less).
   */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);

  /** A quarter of {@link #SESSION_TIMEOUT}: a few lost beats are not fatal. */
  static final Duration GROUP_HEARTBEAT = Duration.ofSeconds(5);

  private final String bootstrap;

  public KafkaClients(KafkaConfig kafka) {
    this(kafka.bootstrap());
  }

  public KafkaClients(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  public String bootstrap() {
    return bootstrap;
  }

  /**
   * A producer's properties: every send is acknowledged by all in-sync replicas, broker-side
   * retries never duplicate (idempotence), nothing waits to be batched (events are latency-bound).
   */
  public Properties producer(String clientId) {
    Properties p = common(clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(DELIVERY_TIMEOUT));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(REQUEST_TIMEOUT));
    // send() blocks for metadata or buffer space at most this long, within the same bound.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(DELIVERY_TIMEOUT));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** A consumer's properties in consumer group {@code group}. */
  public Properties consumer(String clientId, String group) {
    Properties p = common(clientId);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, millis(SESSION_TIMEOUT));
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, millis(GROUP_HEARTBEAT));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  public Properties admin(String clientId) {
    return common(clientId);
  }

  public KafkaProducer<String, byte[]> newProducer(String clientId) {
    return new KafkaProducer<>(producer(clientId));
  }

  private Properties common(String clientId) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return p;
  }

  private static String millis(Duration d) {
    return Long.toString(d.toMillis());
  }
}
