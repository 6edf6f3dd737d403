package dev.reelfarm.orchestrator.retention;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.RetentionRepository;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.messages.Topic;
import dev.reelfarm.schema.presets.Preset;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a real PostgreSQL and an artifact store in a temporary folder. */
@WithPostgres
class RetentionSweeperTest {
  private static final Duration DAY = Duration.ofHours(24);

  private final TestDatabase database;
  private final OrchestratorFixture farm;
  @TempDir Path root;
  private FileArtifactStore store;

  RetentionSweeperTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
    store = new FileArtifactStore(root);
  }

  private RetentionSweeper sweeper(int batchSize) {
    return new RetentionSweeper(
        farm.db,
        new RetentionRepository(),
        store,
        new RetentionSweeper.Policy(DAY, DAY, Duration.ofDays(30), batchSize),
        Duration.ofMinutes(1));
  }

  /** A job with a rendered chunk run, a preview, a video, a poster and a scratch file. */
  private UUID jobWithArtifacts(String status, Duration finishedAgo) {
    UUID job = farm.lifecycle.submit(request(2, RenderMode.INDEPENDENT, 0)).id();
    String run = ArtifactLayout.runPrefix(ArtifactLayout.chunkPrefix(job, 0), UUID.randomUUID());
    store.write(ArtifactLayout.frames(run), new byte[] {1});
    store.write(ArtifactLayout.latents(run), new byte[] {2});
    store.write(ArtifactLayout.preview(run, 3), new byte[] {3});
    String output = ArtifactLayout.outputPrefix(job);
    store.write(ArtifactLayout.video(output, Preset.TIKTOK), new byte[] {4});
    store.write(ArtifactLayout.poster(output), new byte[] {5});
    store.write(ArtifactLayout.encodingScratch(output, "encoder-1", Preset.TIKTOK), new byte[] {6});
    farm.sql(
        "UPDATE render_job SET status = '"
            + status
            + "', finished_at = now() - interval '"
            + finishedAgo.toSeconds()
            + " seconds' WHERE id = '"
            + job
            + "'");
    return job;
  }

  private boolean hasIntermediates(UUID job) {
    return Files.exists(store.resolve(ArtifactLayout.chunksPrefix(job)));
  }

  private boolean hasVideoAndPoster(UUID job) {
    String output = ArtifactLayout.outputPrefix(job);
    return Files.exists(store.resolve(ArtifactLayout.video(output, Preset.TIKTOK)))
        && Files.exists(store.resolve(ArtifactLayout.poster(output)));
  }

  @Test
  void aJobFinishedLongerAgoThanTheRetentionLosesItsIntermediatesButKeepsItsVideo() {
    UUID old = jobWithArtifacts("SUCCEEDED", DAY.plusHours(1));
    UUID failed = jobWithArtifacts("FAILED", DAY.plusHours(2));
    UUID recent = jobWithArtifacts("SUCCEEDED", Duration.ofHours(1));

    RetentionSweeper.Removed removed = sweeper(100).sweep();

    assertThat(removed.jobs()).isEqualTo(2);
    assertThat(hasIntermediates(old)).isFalse();
    assertThat(hasIntermediates(failed)).isFalse();
    assertThat(hasIntermediates(recent)).isTrue();
    assertThat(hasVideoAndPoster(old)).isTrue();
    assertThat(hasVideoAndPoster(recent)).isTrue();
    String output = ArtifactLayout.outputPrefix(old);
    assertThat(
            Files.exists(
                store.resolve(ArtifactLayout.encodingScratch(output, "encoder-1", Preset.TIKTOK))))
        .as("an encoder's scratch file is an intermediate")
        .isFalse();
    assertThat(farm.job(old)).isNotNull();
    assertThat(sweeper(100).sweep().jobs()).as("a job is swept once").isZero();
  }

  @Test
  void aReRenderedVersionKeepsItsVideoAndLosesItsScratchFile() {
    UUID job = jobWithArtifacts("SUCCEEDED", DAY.plusHours(1));
    String v2 = ArtifactLayout.outputPrefix(job, 2);
    store.write(ArtifactLayout.video(v2, Preset.TIKTOK), new byte[] {7});
    store.write(ArtifactLayout.poster(v2), new byte[] {8});
    store.write(ArtifactLayout.encodingScratch(v2, "encoder-1", Preset.TIKTOK), new byte[] {9});

    sweeper(100).sweep();

    assertThat(Files.exists(store.resolve(ArtifactLayout.video(v2, Preset.TIKTOK)))).isTrue();
    assertThat(Files.exists(store.resolve(ArtifactLayout.poster(v2)))).isTrue();
    assertThat(
            Files.exists(
                store.resolve(ArtifactLayout.encodingScratch(v2, "encoder-1", Preset.TIKTOK))))
        .isFalse();
    assertThat(hasVideoAndPoster(job)).isTrue();
  }

  @Test
  void anOpenJobKeepsEverythingHoweverOld() {
    UUID running = jobWithArtifacts("RUNNING", DAY.multipliedBy(3));

    assertThat(sweeper(100).sweep().jobs()).isZero();
    assertThat(hasIntermediates(running)).isTrue();
  }

  @Test
  void manyJobsAreRemovedInBatchesWithinOneSweep() {
    for (int i = 0; i < 5; i++) jobWithArtifacts("CANCELLED", DAY.plusMinutes(i + 1));

    assertThat(sweeper(2).sweep().jobs()).isEqualTo(5);
  }

  @Test
  void publishedOutboxRowsArePrunedAfterTheirRetentionAndUnpublishedOnesNever() {
    farm.sql(
        "INSERT INTO outbox (topic, payload, published_at) VALUES"
            + " ('t', 'old', now() - interval '25 hours'), ('t', 'new', now() - interval '1 hour')");
    farm.sql(
        "INSERT INTO outbox (topic, payload, created_at) VALUES"
            + " ('t', 'waiting', now() - interval '30 days')");

    assertThat(sweeper(100).sweep().outboxRows()).isEqualTo(1);
    assertThat(farm.outbox(new Topic<>("t", 1, String.class)))
        .extracting(OrchestratorFixture.OutboxRow::payload)
        .containsExactly("new", "waiting");
  }

  @Test
  void finishedWebhookDeliveriesArePrunedWithTheirAttemptsAndPendingOnesNever() {
    UUID job = farm.lifecycle.submit(request(2, RenderMode.INDEPENDENT, 0)).id();
    String delivery =
        "INSERT INTO webhook_delivery (id, job_id, url, event_type, payload, status, finished_at)"
            + " VALUES (?::uuid, '"
            + job
            + "', 'https://hooks.example.com/', 'render.succeeded', '{}', ?, now() - ?::interval)";
    UUID old = UUID.randomUUID();
    UUID gaveUp = UUID.randomUUID();
    UUID recent = UUID.randomUUID();
    UUID pending = UUID.randomUUID();
    farm.inTransaction(
        c -> {
          for (Object[] row :
              new Object[][] {
                {old, "DELIVERED", "31 days"},
                {gaveUp, "GAVE_UP", "40 days"},
                {recent, "DELIVERED", "1 day"},
                {pending, "PENDING", "0 seconds"}
              })
            try (var s = c.prepareStatement(delivery)) {
              s.setString(1, row[0].toString());
              s.setString(2, (String) row[1]);
              s.setString(3, (String) row[2]);
              s.executeUpdate();
            }
          // an old pending one: due to be retried, so kept however old
          try (var s =
              c.prepareStatement(
                  "UPDATE webhook_delivery SET finished_at = NULL, created_at = now() - interval"
                      + " '60 days' WHERE id = ?")) {
            s.setObject(1, pending);
            s.executeUpdate();
          }
          try (var s =
              c.prepareStatement(
                  "INSERT INTO webhook_attempt (delivery_id, attempt, started_at, duration_ms,"
                      + " status_code) VALUES (?, 1, now() - interval '31 days', 12, 200)")) {
            s.setObject(1, old);
            s.executeUpdate();
          }
          return null;
        });

    assertThat(sweeper(100).sweep().webhookDeliveries()).isEqualTo(2);
    List<UUID> deliveries = farm.inTransaction(c -> ids(c, "SELECT id FROM webhook_delivery"));
    List<UUID> attempts =
        farm.inTransaction(c -> ids(c, "SELECT delivery_id FROM webhook_attempt"));
    assertThat(deliveries).containsExactlyInAnyOrder(recent, pending);
    assertThat(attempts).as("attempts go with their delivery").isEmpty();
  }

  private static List<UUID> ids(Connection c, String sql) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    try (var s = c.prepareStatement(sql);
        var r = s.executeQuery()) {
      while (r.next()) ids.add(r.getObject(1, UUID.class));
    }
    return ids;
  }
}
