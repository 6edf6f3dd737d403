package dev.reelfarm.orchestrator.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.schema.api.FeedbackRecord;
import dev.reelfarm.schema.api.FeedbackRequest;
import dev.reelfarm.schema.api.FeedbackView;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Feedback storage and its export on a real PostgreSQL. */
@WithPostgres
class FeedbackRepositoryTest {
  private static final UUID OTHER_TEAM = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
  private static final FeedbackRepository.ModelBuild BUILD =
      new FeedbackRepository.ModelBuild("step41000", "sha256:abc");
  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final FeedbackRepository repo = new FeedbackRepository();

  FeedbackRepositoryTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
    farm.sql("INSERT INTO team (id, name) VALUES ('" + OTHER_TEAM + "', 'other')");
  }

  /** A SUCCEEDED job of {@code team} with its video. */
  private UUID finishedJob(UUID team) {
    UUID id = farm.lifecycle.submit(OrchestratorFixture.request(2, RenderMode.SEQUENTIAL, 0)).id();
    farm.sql(
        "UPDATE render_job SET status = 'SUCCEEDED', team_id = '"
            + team
            + "', video_uri = 'file:///a/"
            + id
            + ".mp4', video_frames = 60, video_duration_seconds = 2 WHERE id = '"
            + id
            + "'");
    return id;
  }

  private FeedbackRepository.Saved rate(UUID job, UUID team, UUID key, int rating, String... tags) {
    return farm.inTransaction(
        c -> repo.save(c, job, team, key, new FeedbackRequest(rating, List.of(tags), "c"), BUILD));
  }

  private List<FeedbackView> feedbackOn(UUID job) {
    return farm.inTransaction(c -> repo.forJob(c, job));
  }

  private List<FeedbackRecord> export(
      UUID team, Instant since, int minRating, FeedbackRepository.Cursor after, int limit) {
    return farm.inTransaction(c -> repo.export(c, team, since, minRating, after, limit));
  }

  @Test
  void aKeysSecondRatingReplacesItsFirstWhileAnotherKeyAddsItsOwn() {
    UUID job = finishedJob(TeamRepository.DEFAULT_TEAM);
    UUID alice = UUID.randomUUID();
    UUID bob = UUID.randomUUID();

    var first = rate(job, TeamRepository.DEFAULT_TEAM, alice, 2, "visible-seams");
    var second = rate(job, TeamRepository.DEFAULT_TEAM, alice, 4);
    var other = rate(job, TeamRepository.DEFAULT_TEAM, bob, 5, "great");

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.feedback().id()).isEqualTo(first.feedback().id());
    assertThat(second.feedback().updatedAt()).isAfterOrEqualTo(first.feedback().updatedAt());
    assertThat(other.created()).isTrue();
    var stored = feedbackOn(job);
    assertThat(stored).extracting(f -> f.keyId()).containsExactlyInAnyOrder(alice, bob);
    assertThat(stored)
        .filteredOn(f -> f.keyId().equals(alice))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rating()).isEqualTo(4);
              assertThat(f.tags()).isEmpty();
            });
  }

  @Test
  void withAuthOffARenderHasOneFeedback() {
    UUID job = finishedJob(TeamRepository.DEFAULT_TEAM);
    assertThat(rate(job, TeamRepository.DEFAULT_TEAM, null, 1).created()).isTrue();
    assertThat(rate(job, TeamRepository.DEFAULT_TEAM, null, 3).created()).isFalse();
    assertThat(feedbackOn(job)).singleElement().satisfies(f -> assertThat(f.rating()).isEqualTo(3));
  }

  @Test
  void anExportRecordCarriesTheRendersRequestModelAndVideo() {
    UUID job = finishedJob(TeamRepository.DEFAULT_TEAM);
    rate(job, TeamRepository.DEFAULT_TEAM, UUID.randomUUID(), 5, "matches-prompt");

    FeedbackRecord record = export(null, null, 1, null, 10).get(0);

    assertThat(record.renderId()).isEqualTo(job);
    assertThat(record.team()).isEqualTo("default");
    assertThat(record.prompt()).isEqualTo("a red circle moving left");
    assertThat(record.seed()).isEqualTo(7);
    assertThat(record.parameters().steps()).isEqualTo(OrchestratorFixture.STEPS);
    assertThat(record.parameters().mode()).isEqualTo(RenderMode.SEQUENTIAL);
    assertThat(record.parameters().preset()).isEqualTo("tiktok");
    assertThat(record.model())
        .isEqualTo(
            new FeedbackRecord.Model(
                OrchestratorFixture.MODEL.name(), BUILD.version(), BUILD.checksum()));
    assertThat(record.video().uri()).isEqualTo("file:///a/" + job + ".mp4");
    assertThat(record.video().path()).isEqualTo("/api/v1/renders/" + job + "/video");
    assertThat(record.video().frames()).isEqualTo(60);
    assertThat(record.rating()).isEqualTo(5);
    assertThat(record.tags()).containsExactly("matches-prompt");
  }

  @Test
  void theExportFiltersByTeamSinceAndRatingAndPagesWithoutGapsOrRepeats() throws Exception {
    List<UUID> ours = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      UUID job = finishedJob(TeamRepository.DEFAULT_TEAM);
      ours.add(rate(job, TeamRepository.DEFAULT_TEAM, UUID.randomUUID(), 1 + i).feedback().id());
    }
    UUID theirs = rate(finishedJob(OTHER_TEAM), OTHER_TEAM, UUID.randomUUID(), 5).feedback().id();

    List<UUID> paged = new ArrayList<>();
    FeedbackRepository.Cursor cursor = null;
    while (true) {
      FeedbackRepository.Cursor after = cursor;
      var page =
          farm.inTransaction(c -> repo.export(c, TeamRepository.DEFAULT_TEAM, null, 1, after, 2));
      page.forEach(r -> paged.add(r.feedbackId()));
      if (page.size() < 2) break;
      var last = page.get(page.size() - 1);
      cursor = new FeedbackRepository.Cursor(last.updatedAt(), last.feedbackId());
    }
    assertThat(paged).containsExactlyElementsOf(ours);

    assertThat(export(null, null, 4, null, 100))
        .extracting(FeedbackRecord::feedbackId)
        .containsExactly(ours.get(3), ours.get(4), theirs);
    assertThat(export(OTHER_TEAM, null, 1, null, 100))
        .extracting(FeedbackRecord::feedbackId)
        .containsExactly(theirs);
    Instant future = Instant.now().plusSeconds(3600);
    assertThat(export(null, future, 1, null, 100)).isEmpty();
  }

  @Test
  void aReplacedRatingMovesToTheEndOfTheExport() {
    UUID first = finishedJob(TeamRepository.DEFAULT_TEAM);
    UUID second = finishedJob(TeamRepository.DEFAULT_TEAM);
    UUID key = UUID.randomUUID();
    rate(first, TeamRepository.DEFAULT_TEAM, key, 2);
    rate(second, TeamRepository.DEFAULT_TEAM, key, 3);
    Instant beforeChange = feedbackOn(second).get(0).updatedAt();
    rate(first, TeamRepository.DEFAULT_TEAM, key, 5);

    assertThat(export(null, null, 1, null, 100))
        .extracting(FeedbackRecord::renderId)
        .containsExactly(second, first);
    assertThat(export(null, beforeChange.plusNanos(1000), 1, null, 100))
        .extracting(FeedbackRecord::renderId)
        .containsExactly(first);
  }

  @Test
  void feedbackGoesWithItsRender() {
    UUID job = finishedJob(TeamRepository.DEFAULT_TEAM);
    rate(job, TeamRepository.DEFAULT_TEAM, UUID.randomUUID(), 4);
    farm.sql("DELETE FROM render_job WHERE id = '" + job + "'");
    assertThat(export(null, null, 1, null, 100)).isEmpty();
  }

  @Test
  void theDatabaseRefusesARatingOutsideOneToFive() {
    UUID job = finishedJob(TeamRepository.DEFAULT_TEAM);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> rate(job, TeamRepository.DEFAULT_TEAM, UUID.randomUUID(), 6))
        .hasMessageContaining("render_feedback_rating_check");
  }
}
