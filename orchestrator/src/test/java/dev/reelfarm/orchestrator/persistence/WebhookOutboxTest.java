package dev.reelfarm.orchestrator.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.webhooks.WebhookSigner;
import dev.reelfarm.schema.api.WebhookDeliveryStatus;
import dev.reelfarm.schema.api.WebhookDeliveryView;
import dev.reelfarm.schema.api.WebhookEvent;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook deliveries on real PostgreSQL: written with the job's terminal event (the outbox), per
 * the endpoints' filters, progress throttled, attempts recorded and fenced by attempt number.
 */
@WithPostgres
class WebhookOutboxTest {
  private static final UUID TEAM = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final String HOOK = "https://hooks.example.com/job";

  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final WebhookRepository hooks = new WebhookRepository();

  WebhookOutboxTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
  }

  @BeforeEach
  void empty() throws Exception {
    database.truncateAll();
  }

  private UUID submit(String webhook) {
    return farm.lifecycle
        .submit(OrchestratorFixture.request(2, null, 0).toBuilder().webhook(webhook).build())
        .id();
  }

  private UUID endpoint(List<WebhookEvent> events, Integer progressSeconds) {
    return farm.inTransaction(
            c ->
                hooks.createEndpoint(
                    c,
                    TEAM,
                    "https://hooks.example.com/team",
                    events,
                    progressSeconds,
                    "",
                    WebhookSigner.newSecret()))
        .id();
  }

  private List<WebhookDeliveryView> deliveries(UUID job) {
    return farm.inTransaction(c -> hooks.forJob(c, TEAM, job));
  }

  @Test
  void aTerminalTransitionWritesTheJobsWebhookDeliveryInItsTransaction() {
    UUID job = submit(HOOK);
    assertThat(deliveries(job)).isEmpty();

    farm.lifecycle.cancel(job);

    List<WebhookDeliveryView> sent = deliveries(job);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).url()).isEqualTo(HOOK);
    assertThat(sent.get(0).event()).isEqualTo(WebhookEvent.RENDER_CANCELLED);
    assertThat(sent.get(0).endpointId()).isNull();
    assertThat(sent.get(0).status()).isEqualTo(WebhookDeliveryStatus.PENDING);
    assertThat(sent.get(0).id()).startsWith("msg_");
  }

  @Test
  void aJobWithoutWebhookAndNoEndpointsWritesNone() {
    UUID job = submit(null);

    farm.lifecycle.cancel(job);

    assertThat(deliveries(job)).isEmpty();
  }

  @Test
  void teamEndpointsGetOnlyTheEventsTheirFilterNames() {
    UUID cancelled = endpoint(List.of(WebhookEvent.RENDER_CANCELLED), null);
    endpoint(List.of(WebhookEvent.RENDER_SUCCEEDED), null);
    UUID job = submit(null);

    farm.lifecycle.cancel(job);

    assertThat(deliveries(job))
        .extracting(WebhookDeliveryView::endpointId)
        .containsExactly(cancelled);
  }

  @Test
  void progressIsDeliveredAtMostOncePerInterval() {
    UUID progress = endpoint(List.of(WebhookEvent.RENDER_PROGRESS), 3600);
    UUID job = submit(null);
    var chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID run = farm.start(chunk, "w1");

    for (int step = 1; step <= 3; step++)
      farm.lifecycle.onChunkEvent(
          new dev.reelfarm.schema.messages.ChunkEvent.Step(
              1,
              job,
              chunk.id(),
              run,
              "w1",
              step,
              OrchestratorFixture.STEPS,
              null,
              0L,
              farm.epoch(chunk)));

    assertThat(deliveries(job))
        .extracting(WebhookDeliveryView::endpointId, WebhookDeliveryView::event)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(progress, WebhookEvent.RENDER_PROGRESS));
  }

  @Test
  void attemptsAreRecordedAndAStaleClaimChangesNothingButItsRecord() {
    UUID job = submit(HOOK);
    farm.lifecycle.cancel(job);
    var first = farm.inTransaction(c -> hooks.claimDue(c, 10, 30)).get(0);
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(first.payload()).contains("\"type\":\"render.cancelled\"");
    List<WebhookRepository.Claimed> leased = farm.inTransaction(c -> hooks.claimDue(c, 10, 30));
    assertThat(leased).isEmpty();

    boolean applied =
        farm.inTransaction(
            c ->
                hooks.recordAttempt(
                    c,
                    first.id(),
                    new WebhookRepository.Attempt(1, Instant.now(), 12, 500, "HTTP 500"),
                    WebhookDeliveryStatus.PENDING,
                    Instant.now().minusSeconds(1)));
    var second = farm.inTransaction(c -> hooks.claimDue(c, 10, 30)).get(0);
    boolean stale =
        farm.inTransaction(
            c ->
                hooks.recordAttempt(
                    c,
                    first.id(),
                    new WebhookRepository.Attempt(1, Instant.now(), 5, 200, null),
                    WebhookDeliveryStatus.DELIVERED,
                    null));
    farm.inTransaction(
        c ->
            hooks.recordAttempt(
                c,
                second.id(),
                new WebhookRepository.Attempt(2, Instant.now(), 7, 204, null),
                WebhookDeliveryStatus.DELIVERED,
                null));

    assertThat(applied).isTrue();
    assertThat(stale).isFalse();
    WebhookDeliveryView view = deliveries(job).get(0);
    assertThat(view.id()).isEqualTo(second.messageId()).isEqualTo(first.messageId());
    assertThat(view.status()).isEqualTo(WebhookDeliveryStatus.DELIVERED);
    assertThat(view.finishedAt()).isNotNull();
    assertThat(view.attempts())
        .extracting(WebhookDeliveryView.Attempt::attempt, WebhookDeliveryView.Attempt::statusCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 500),
            org.assertj.core.groups.Tuple.tuple(2, 204));
  }
}
