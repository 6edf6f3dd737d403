package dev.reelfarm.orchestrator.webhooks;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.leadership.LeaderLoop;
import dev.reelfarm.orchestrator.leadership.Leadership;
import dev.reelfarm.orchestrator.loops.Backoff;
import dev.reelfarm.orchestrator.loops.Loops;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.WebhookRepository;
import dev.reelfarm.orchestrator.persistence.WebhookRepository.Attempt;
import dev.reelfarm.orchestrator.persistence.WebhookRepository.Claimed;
import dev.reelfarm.schema.api.WebhookDeliveryStatus;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Sends the webhook deliveries the outbox holds, on the leader only: claims the due ones, POSTs
 * them all at once (signed, with a timeout, redirects not followed: a redirect could lead past the
 * address guard), records every attempt and decides with {@link WebhookRetryPolicy} whether and
 * when to try again. A 2xx answer delivers; anything else, or no answer, is retried. An address the
 * guard now refuses is given up at once. Receiver failures are recorded, never a failed round: only
 * a database failure makes this loop unhealthy.
 */
@ApplicationScoped
public class WebhookDeliveryLoop {
  private static final Logger LOG = Logger.getLogger(WebhookDeliveryLoop.class);
  static final int BATCH = 32;
  static final String USER_AGENT = "reelfarm-webhooks/1";

  private final Database db;
  private final WebhookRepository repo;
  private final WebhookUrlGuard guard;
  private final WebhookRetryPolicy policy;
  private final WebhookSigner farmSigner;
  private final Duration timeout;
  private final Duration period;
  private final HttpClient http;
  private BackgroundLoop loop;

  public WebhookDeliveryLoop(
      Database db, WebhookRepository repo, WebhookUrlGuard guard, ReelfarmConfig config) {
    var c = config.webhooks();
    this.db = db;
    this.repo = repo;
    this.guard = guard;
    this.policy =
        new WebhookRetryPolicy(
            new Backoff(
                Duration.ofMillis(c.retryFirstMs()), Duration.ofSeconds(c.retryMaxSeconds())),
            c.maxAttempts(),
            Duration.ofHours(c.maxAgeHours()));
    // A bad farm secret stops the orchestrator at start, naming the key, not at the first send.
    try {
      this.farmSigner = c.secret().map(WebhookSigner::new).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("reelfarm.webhooks.secret: " + e.getMessage(), e);
    }
    this.timeout = Duration.ofSeconds(c.timeoutSeconds());
    this.period = Duration.ofMillis(c.pollMs());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  void start(@Observes StartupEvent ignored, Leadership leadership, Loops loops) {
    loop =
        LeaderLoop.start(
            "webhook-delivery",
            period,
            leadership::isLeader,
            loops.registerLeaderOnly("webhook-delivery"),
            this::deliverDue);
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (loop != null) loop.close();
  }

  /** One round: every due delivery gets one attempt; returns how many were attempted. */
  public int deliverDue() {
    // The claim outlives the attempt's timeout, so a live sender always records first.
    int lease = (int) timeout.toSeconds() * 2 + 5;
    List<Claimed> due = db.inTransaction(c -> repo.claimDue(c, BATCH, lease));
    if (due.isEmpty()) return 0;
    List<CompletableFuture<Sent>> sends = due.stream().map(this::send).toList();
    for (int i = 0; i < due.size(); i++) record(due.get(i), sends.get(i).join());
    return due.size();
  }

  /** An attempt's result; {@code refused}: the guard refused the address, do not retry. */
  private record Sent(Attempt attempt, boolean refused) {}

  private CompletableFuture<Sent> send(Claimed d) {
    Instant started = Instant.now();
    URI uri = URI.create(d.url());
    String refusal = guard.refusal(uri);
    if (refusal != null)
      return CompletableFuture.completedFuture(
          new Sent(new Attempt(d.attempt(), started, 0, null, "refused: " + refusal), true));
    WebhookSigner signer = d.secret() != null ? new WebhookSigner(d.secret()) : farmSigner;
    if (signer == null)
      return CompletableFuture.completedFuture(
          new Sent(
              new Attempt(d.attempt(), started, 0, null, "reelfarm.webhooks.secret is not set"),
              false));
    long timestamp = started.getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("user-agent", USER_AGENT)
            .header("webhook-id", d.messageId())
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signer.sign(d.messageId(), timestamp, d.payload()))
            .POST(HttpRequest.BodyPublishers.ofString(d.payload()))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, error) -> {
              long ms = Duration.between(started, Instant.now()).toMillis();
              if (error != null)
                return new Sent(
                    new Attempt(d.attempt(), started, ms, null, describe(error)), false);
              int code = response.statusCode();
              String problem = code / 100 == 2 ? null : "HTTP " + code;
              return new Sent(new Attempt(d.attempt(), started, ms, code, problem), false);
            });
  }

  private void record(Claimed d, Sent sent) {
    Attempt a = sent.attempt();
    WebhookDeliveryStatus status;
    Instant next = null;
    Attempt stored = a;
    if (a.error() == null) {
      status = WebhookDeliveryStatus.DELIVERED;
    } else {
      var decision =
          sent.refused()
              ? new WebhookRetryPolicy.GiveUp("gave up: destination refused")
              : policy.afterFailure(
                  a.attempt(),
                  d.createdAt(),
                  Instant.now(),
                  ThreadLocalRandom.current().nextDouble());
      if (decision instanceof WebhookRetryPolicy.RetryAt retry) {
        status = WebhookDeliveryStatus.PENDING;
        next = retry.at();
      } else {
        status = WebhookDeliveryStatus.GAVE_UP;
        String reason = ((WebhookRetryPolicy.GiveUp) decision).reason();
        stored =
            new Attempt(
                a.attempt(),
                a.startedAt(),
                a.durationMs(),
                a.statusCode(),
                a.error() + "; " + reason);
      }
    }
    Attempt row = stored;
    Instant due = next;
    boolean applied = db.inTransaction(c -> repo.recordAttempt(c, d.id(), row, status, due));
    if (!applied) {
      LOG.debugf(
          "webhook %s: attempt %d outcome not applied (claimed again)", d.messageId(), a.attempt());
    } else if (!status.isFinished()) {
      LOG.debugf(
          "webhook %s attempt %d: %s; retry at %s", d.messageId(), a.attempt(), a.error(), next);
    } else {
      LOG.infof(
          "webhook %s to %s: %s after %d attempts%s",
          d.messageId(),
          d.url(),
          status,
          a.attempt(),
          a.error() == null ? "" : " (" + row.error() + ")");
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
