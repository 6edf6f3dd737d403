package dev.reelfarm.orchestrator.messaging;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.leadership.Leadership;
import dev.reelfarm.orchestrator.lifecycle.ChunkDispatcher;
import dev.reelfarm.orchestrator.lifecycle.Wakeup;
import dev.reelfarm.orchestrator.loops.LoopHealth;
import dev.reelfarm.orchestrator.loops.Loops;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import dev.reelfarm.schema.messaging.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes the transactional outbox: rows are sent in id order, acknowledged by all in-sync
 * replicas, then marked published. A crash between send and mark re-sends: consumers are idempotent
 * (fenced runs, CAS transitions), so at-least-once is safe. The same loop runs the dispatcher, so a
 * chunk released by a completion goes out within one wake-up. Both run on the leader replica only;
 * should two replicas briefly both lead (a handover), SKIP LOCKED keeps each row with one relay.
 */
@ApplicationScoped
public class OutboxRelay implements Wakeup {
  private static final int BATCH = 200;

  private final Database db;
  private final Instance<ChunkDispatcher> dispatcher;
  private final ReelfarmConfig config;
  private final KafkaClients kafka;
  private final Leadership leadership;
  private final LoopHealth relayHealth;
  private final LoopHealth dispatchHealth;
  private final Semaphore wakeups = new Semaphore(0);
  private volatile boolean running;
  private BackgroundLoop loop;
  private KafkaProducer<String, byte[]> producer;

  public OutboxRelay(
      Database db,
      Instance<ChunkDispatcher> dispatcher,
      ReelfarmConfig config,
      Leadership leadership,
      Loops loops) {
    this.db = db;
    this.dispatcher = dispatcher;
    this.config = config;
    this.kafka = new KafkaClients(config.kafka());
    this.leadership = leadership;
    this.relayHealth = loops.registerLeaderOnly("outbox-relay");
    this.dispatchHealth = loops.registerLeaderOnly("chunk-dispatcher");
  }

  void start(@Observes StartupEvent ignored) {
    producer = kafka.newProducer("orchestrator-outbox");
    running = true;
    loop = BackgroundLoop.of("outbox-relay", this::relay, this::wake).start();
    relayHealth.watching(loop::isRunning);
    dispatchHealth.watching(loop::isRunning);
  }

  void stop(@Observes ShutdownEvent ignored) {
    running = false;
    if (loop != null) loop.close();
    if (producer != null) producer.close(KafkaClients.CLOSE_TIMEOUT);
  }

  /** Asks the loop to run now rather than at its next poll. */
  @Override
  public void wake() {
    wakeups.release();
  }

  private void relay() {
    while (running) {
      try {
        wakeups.tryAcquire(config.relay().pollMs(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      wakeups.drainPermits();
      if (!running || !leadership.isLeader()) continue;
      // Separate rounds: a dispatcher that cannot reach the database must not hold up what the
      // outbox already has, and the health checks tell the two apart.
      Duration pause = Duration.ZERO;
      try {
        dispatcher.get().dispatchReady();
        dispatchHealth.succeeded();
      } catch (RuntimeException e) {
        pause = dispatchHealth.failed(e);
      }
      try {
        while (running && relayBatch() == BATCH) {
          // a full batch: more may be waiting
        }
        relayHealth.succeeded();
      } catch (RuntimeException e) {
        // Database or broker unavailable: nothing is lost (rows stay unpublished), try again.
        pause = max(pause, relayHealth.failed(e));
      }
      // After a failure, only a wake-up that comes with new work would be early: wait it out.
      if (!pause.isZero()) {
        sleepQuietly(pause);
        wakeups.drainPermits();
      }
    }
  }

  private int relayBatch() {
    return db.inTransaction(
        c -> {
          record Row(long id, String topic, String key, String payload, Integer partition) {}
          List<Row> rows = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id, topic, message_key, payload, partition_no FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            s.setInt(1, BATCH);
            try (ResultSet r = s.executeQuery()) {
              while (r.next())
                rows.add(
                    new Row(
                        r.getLong(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        (Integer) r.getObject(5)));
            }
          }
          if (rows.isEmpty()) return 0;
          List<Future<?>> acks = new ArrayList<>();
          for (Row row : rows)
            acks.add(
                producer.send(
                    new ProducerRecord<>(
                        row.topic(),
                        row.partition(),
                        row.key(),
                        row.payload().getBytes(StandardCharsets.UTF_8))));
          producer.flush();
          for (Future<?> ack : acks) {
            try {
              ack.get(KafkaClients.ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(
                  "broker did not acknowledge outbox message: " + e.getMessage(), e);
            }
          }
          try (PreparedStatement s =
              c.prepareStatement("UPDATE outbox SET published_at = now() WHERE id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("int8", rows.stream().map(Row::id).toArray()));
            s.executeUpdate();
          }
          return rows.size();
        });
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static void sleepQuietly(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
