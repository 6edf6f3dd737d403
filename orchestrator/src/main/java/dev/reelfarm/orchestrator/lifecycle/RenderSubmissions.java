package dev.reelfarm.orchestrator.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.IdempotencyKeys;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.TeamShares;
import dev.reelfarm.orchestrator.scheduling.Quotas;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.QuotaExceededException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.orchestrator.submission.UnprocessableRequestException;
import dev.reelfarm.schema.api.RenderAccepted;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Accepts render requests, at most once per {@code Idempotency-Key}: the key is claimed in the
 * transaction that stores the job, and a request that finds it claimed gets the first request's
 * response again (same status, same job) or, with another body, a 422 naming the header. Expired
 * keys are pruned by a background loop. A submission over its team's max queued jobs or GPU-seconds
 * per day is refused ({@link QuotaExceededException}) before any job is stored.
 */
@ApplicationScoped
public class RenderSubmissions {
  private static final Logger LOG = Logger.getLogger(RenderSubmissions.class);
  public static final String HEADER = "Idempotency-Key";
  public static final int MAX_KEY_CHARS = 255;

  private final Database db;
  private final RenderLifecycle lifecycle;
  private final IdempotencyKeys keys;
  private final AuditLog audit;
  private final TeamShares shares;
  private final Duration queuedRetry;
  private final ObjectMapper mapper;
  private final ObjectMapper canonical;
  private final Duration keep;
  private final Duration prunePeriod;
  private BackgroundLoop pruner;

  /**
   * The response of a submission: about {@code id} (the job, or the batch); {@code replayed} when
   * an earlier request's is sent again.
   */
  public record Submitted(UUID id, int status, String body, boolean replayed) {}

  /** What a request's transaction created: its job (a batch's first shot's), batch and 202 body. */
  public record Created(UUID jobId, UUID batchId, String body) {}

  /** Stores what a request creates in the submission's transaction (after its key is claimed). */
  @FunctionalInterface
  public interface Creation {
    Created create(Connection c) throws SQLException;
  }

  /**
   * More of a submission, in its transaction once the job is stored (a retry links to the job it
   * retries); what it throws refuses the submission, and nothing is stored.
   */
  @FunctionalInterface
  public interface AlsoStore {
    void store(Connection c, JobRow job) throws SQLException;
  }

  @Inject
  public RenderSubmissions(
      Database db,
      RenderLifecycle lifecycle,
      IdempotencyKeys keys,
      AuditLog audit,
      TeamShares shares,
      ObjectMapper mapper,
      ReelfarmConfig config) {
    this(
        db,
        lifecycle,
        keys,
        audit,
        shares,
        mapper,
        Duration.ofHours(config.idempotency().keepHours()),
        Duration.ofSeconds(config.idempotency().prunePeriodSeconds()),
        Duration.ofSeconds(config.quotas().queuedRetryAfterSeconds()));
  }

  public RenderSubmissions(
      Database db,
      RenderLifecycle lifecycle,
      IdempotencyKeys keys,
      AuditLog audit,
      TeamShares shares,
      ObjectMapper mapper,
      Duration keep,
      Duration prunePeriod,
      Duration queuedRetry) {
    this.db = db;
    this.lifecycle = lifecycle;
    this.keys = keys;
    this.audit = audit;
    this.shares = shares;
    this.queuedRetry = queuedRetry;
    this.mapper = mapper;
    this.canonical = mapper.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    this.keep = keep;
    this.prunePeriod = prunePeriod;
  }

  void start(@Observes StartupEvent ignored) {
    pruner = BackgroundLoop.every("idempotency-pruner", prunePeriod, this::prune).start();
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (pruner != null) pruner.close();
  }

  /**
   * Stores {@code team}'s job of {@code request} (parsed from {@code body}), with its audit line,
   * and returns its 202; with a key, at most once per key and team for the keep time.
   *
   * @param idempotencyKey null: no key, every request is a new job
   * @throws QuotaExceededException over one of the team's quotas: no job is stored
   */
  public Submitted submit(
      UUID team, AuditLog.Actor actor, String idempotencyKey, String body, RenderRequest request) {
    return submit(team, actor, idempotencyKey, body, request, (c, job) -> {});
  }

  /**
   * As {@link #submit(UUID, AuditLog.Actor, String, String, RenderRequest)}, with {@code also} in
   * the transaction (not when a key replays an earlier response).
   */
  public Submitted submit(
      UUID team,
      AuditLog.Actor actor,
      String idempotencyKey,
      String body,
      RenderRequest request,
      AlsoStore also) {
    return once(
        team,
        idempotencyKey,
        body,
        c -> {
          admit(c, team, 1);
          JobRow job = lifecycle.submit(c, team, request);
          also.store(c, job);
          audit.record(
              c,
              actor,
              "render.submit",
              "render",
              job.id().toString(),
              Map.of("team", team.toString(), "preset", request.preset().id()));
          return new Created(job.id(), null, accepted(job));
        });
  }

  /**
   * Runs {@code creation} and returns its 202, with a key at most once per key and team for the
   * keep time (another request with the key gets the first one's answer, or a 422 with another
   * body). The relay is woken once a new creation has committed.
   *
   * @param idempotencyKey null: no key, every request creates anew
   */
  public Submitted once(UUID team, String idempotencyKey, String body, Creation creation) {
    IdempotencyKeys.Key key =
        idempotencyKey == null
            ? null
            : new IdempotencyKeys.Key(team.toString(), validKey(idempotencyKey));
    String hash = key == null ? null : requestHash(body);
    Submitted submitted =
        db.inTransaction(
            c -> {
              if (key != null) {
                Optional<IdempotencyKeys.Stored> stored =
                    keys.claim(c, key, hash, Instant.now().plus(keep));
                if (stored.isPresent()) return replay(stored.get(), hash);
              }
              Created created = creation.create(c);
              if (key != null)
                keys.complete(c, key, created.jobId(), created.batchId(), 202, created.body());
              UUID id = created.batchId() != null ? created.batchId() : created.jobId();
              return new Submitted(id, 202, created.body(), false);
            });
    if (!submitted.replayed()) lifecycle.wakeRelay();
    return submitted;
  }

  /**
   * Refuses {@code jobs} more jobs of {@code team} (or, with 1, more work of one of its jobs) over
   * its quotas; the team's row stays locked.
   */
  public void admit(Connection c, UUID team, int jobs) throws SQLException {
    var standing = shares.lockStanding(c, team);
    if (standing.isEmpty()) return;
    var refusal = Quotas.admit(standing.get(), queuedRetry, jobs);
    if (refusal.isPresent())
      throw new QuotaExceededException(
          refusal.get().limit(), refusal.get().message(), refusal.get().retryAfter());
  }

  /** Deletes expired keys; returns how many. */
  public int prune() {
    int pruned = db.inTransaction(keys::pruneExpired);
    if (pruned > 0) LOG.debugf("pruned %d expired idempotency keys", pruned);
    return pruned;
  }

  private Submitted replay(IdempotencyKeys.Stored stored, String hash) {
    if (!stored.requestHash().equals(hash)) {
      throw new UnprocessableRequestException(
          HEADER,
          "this "
              + HEADER
              + " was already used with a different request body (keys are kept "
              + keep.toHours()
              + " h); send a new key for a new request");
    }
    return new Submitted(stored.id(), stored.status(), stored.body(), true);
  }

  private String accepted(JobRow job) {
    String self = "/api/v1/renders/" + job.id();
    var links = new RenderAccepted.Links(self, self + "/video", self + "/events");
    try {
      return mapper.writeValueAsString(new RenderAccepted(job.id(), job.status(), links));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a RenderAccepted always serialises", e);
    }
  }

  /**
   * SHA-256 of the body's canonical JSON (keys sorted, no whitespace): a retry that re-serialises
   * the same request differently is still the same request. The body has been parsed already.
   */
  String requestHash(String body) {
    try {
      Object tree = mapper.readValue(body, Object.class);
      byte[] json = canonical.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("a parsed request body is JSON and SHA-256 exists", e);
    }
  }

  /** 1..255 printable ASCII characters (a UUID is the usual choice). */
  static String validKey(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_CHARS)
      throw new InvalidRequestException(HEADER, "must be 1 to " + MAX_KEY_CHARS + " characters");
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (ch < 0x20 || ch > 0x7e)
        throw new InvalidRequestException(HEADER, "must be printable ASCII (e.g. a UUID)");
    }
    return key;
  }
}
