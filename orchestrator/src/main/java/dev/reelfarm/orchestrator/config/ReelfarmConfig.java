package dev.reelfarm.orchestrator.config;

import dev.reelfarm.schema.config.ArtifactsConfig;
import dev.reelfarm.schema.config.KafkaConfig;
import dev.reelfarm.schema.config.ModelConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The orchestrator's own settings ({@code reelfarm.*}; env vars {@code REELFARM_*}). */
@ConfigMapping(prefix = "reelfarm")
public interface ReelfarmConfig {

  /** {@code reelfarm.kafka.*}: the brokers, shared with the worker and encoder. */
  KafkaConfig kafka();

  /** {@code reelfarm.artifacts.*}: the artifact store, shared with the worker and encoder. */
  ArtifactsConfig artifacts();

  /** {@code reelfarm.model.*}: the bundle whose bundle.json drives planning (fps, chunk length). */
  ModelConfig model();

  /**
   * {@code reelfarm.db.*}: the job database (url, user, password); defaults and the mapping onto
   * {@code quarkus.datasource.*} are in application.properties.
   */
  Db db();

  /** {@code reelfarm.planning.*}: how a request becomes chunks. */
  Planning planning();

  /** {@code reelfarm.dispatch.*}: admission of chunks to the workers. */
  Dispatch dispatch();

  /** {@code reelfarm.scheduling.*}: how contended workers are shared between teams. */
  Scheduling scheduling();

  /** {@code reelfarm.quotas.*}: how submissions over a team's quota are answered. */
  Quotas quotas();

  /** {@code reelfarm.chunk.*}: a chunk's runs, their leases and failures. */
  Chunk chunk();

  /** {@code reelfarm.encode.*}: the orchestrator's watch over encoding jobs. */
  Encode encode();

  /** {@code reelfarm.lease-sweeper.*}: the loop that applies leases and timeouts. */
  LeaseSweeper leaseSweeper();

  /** {@code reelfarm.relay.*}: the outbox relay's loop. */
  Relay relay();

  /** {@code reelfarm.workers.*}: which workers count as live, and which are quarantined. */
  Workers workers();

  /** {@code reelfarm.idempotency.*}: how long Idempotency-Key answers are kept. */
  Idempotency idempotency();

  /** {@code reelfarm.batches.*}: shot lists. */
  Batches batches();

  /** {@code reelfarm.orchestrator.*}: this replica. */
  Orchestrator orchestrator();

  /** {@code reelfarm.leader.*}: the election of the replica that runs the relay and sweepers. */
  Leader leader();

  /** {@code reelfarm.retention.*}: what is removed once it is no longer needed. */
  Retention retention();

  /** {@code reelfarm.webhooks.*}: calling clients back (signing, retries, allowed addresses). */
  Webhooks webhooks();

  /** {@code reelfarm.join.*}: workers and encoders that join from other hosts. */
  Join join();

  /** {@code reelfarm.auth.*}: API keys on every API route, and the submission rate per key. */
  Auth auth();

  /** {@code reelfarm.policy.*}: the prompt policy every submitted prompt is checked against. */
  Policy policy();

  interface Db {
    /** JDBC URL of the job database (default: a local PostgreSQL on 5432, database reelfarm). */
    String url();

    String user();

    String password();
  }

  interface Planning {
    /** Native frames a sequential chunk shares with its predecessor (its conditioning context). */
    @WithDefault("2")
    int contextFrames();

    /** Frames neighbouring infill chunks share in anchored mode (1 = just their keyframe). */
    @WithDefault("1")
    int overlapFrames();
  }

  interface Dispatch {
    /** Chunks dispatched or running at once, over all jobs: the farm's admission bound. */
    @WithDefault("64")
    int maxInFlight();
  }

  interface Scheduling {
    /**
     * Share contended workers between teams with queued work in proportion to their weights (lowest
     * weighted chunk-seconds first); false: farm-wide priority, then age.
     */
    @WithDefault("true")
    boolean fairShare();

    /** The longest stretch, in seconds, over which the teams' chunk-seconds are compared. */
    @WithDefault("300")
    int windowSeconds();
  }

  interface Quotas {
    /**
     * Retry-After, in seconds, of a submission refused because its team has its max-queued-jobs
     * queued or running.
     */
    @WithDefault("30")
    int queuedRetryAfterSeconds();
  }

  interface Chunk {
    /**
     * Different workers a chunk may fail on (a failure report, or its run lost) before its job
     * fails with the chunk's last error: a poison chunk. A worker's local retries do not count.
     */
    @WithDefault("3")
    int maxAttempts();

    /**
     * Seconds a dispatched or running chunk may go without progress (its start, a step event)
     * before the orchestrator supersedes its run and dispatches it again.
     */
    @WithDefault("30")
    int leaseSeconds();

    /** Chunks of one job a worker may fail before it is given none of that job's chunks again. */
    @WithDefault("2")
    int workerFailuresPerJob();
  }

  interface Encode {
    /**
     * Seconds a job may stay ENCODING without word from an encoder before its encode task is sent
     * again (encoding is idempotent).
     */
    @WithDefault("120")
    int timeoutSeconds();
  }

  interface LeaseSweeper {
    /** How often leases, lost workers, encode timeouts and waiting reasons are checked, in ms. */
    @WithDefault("1000")
    int periodMs();
  }

  interface Relay {
    /** How often the outbox relay and dispatcher look for work when not woken up, in ms. */
    @WithDefault("100")
    int pollMs();
  }

  interface Workers {
    /**
     * A worker without a heartbeat for this long is no longer live: it is marked lost and its
     * dispatched and running chunks are released to other workers.
     */
    @WithDefault("15")
    int liveSeconds();

    /**
     * Chunks a worker may fail in a row before it is quarantined (given no chunk until a probe
     * succeeds or it restarts).
     */
    @WithDefault("3")
    int quarantineAfter();

    /** Seconds after its latest failure that a quarantined worker is given one chunk as a probe. */
    @WithDefault("60")
    int probeAfterSeconds();
  }

  interface Idempotency {
    /**
     * Hours a POST's Idempotency-Key and its response are kept: a retry with the key within this
     * time gets the first response again, after it the key is free for a new request.
     */
    @WithDefault("24")
    int keepHours();

    /** How often expired keys are deleted, in seconds. */
    @WithDefault("300")
    int prunePeriodSeconds();
  }

  interface Batches {
    /** Most shots (or variants) one batch may have. */
    @WithDefault("20")
    int maxShots();
  }

  interface Orchestrator {
    /** This replica's name in the election, /q/health and logs (default orchestrator-PID). */
    Optional<String> id();
  }

  interface Leader {
    /**
     * How often, in ms, a follower tries to take the leader lock and the leader checks its session:
     * a dead leader is replaced within about this long.
     */
    @WithDefault("1000")
    int checkMs();
  }

  interface Retention {
    /**
     * Hours after a job finished (succeeded, failed or cancelled) that its intermediate artifacts
     * (chunk frames, latents, previews, encoder scratch files) are removed; the video and poster
     * stay.
     */
    @WithDefault("24")
    int intermediatesHours();

    /** Hours after it was published that an outbox row is deleted. */
    @WithDefault("24")
    int outboxHours();

    /**
     * Days after a webhook delivery finished (delivered or given up) that it and its attempts are
     * deleted; until then a client can read what was sent and what its server answered.
     */
    @WithDefault("30")
    int webhookDeliveryDays();

    /** How often, in seconds, the leader looks for what to remove. */
    @WithDefault("60")
    int periodSeconds();

    /** Jobs whose intermediates are removed per transaction (outbox rows: 100 times as many). */
    @WithDefault("100")
    int batchSize();
  }

  interface Webhooks {
    /**
     * The farm's signing secret for per-job webhook URLs ({@code whsec_} + base64 of at least 24
     * random bytes); unset: a request with a {@code webhook} is refused (team endpoints have their
     * own secrets).
     */
    Optional<String> secret();

    /**
     * Allow destinations that resolve to loopback, link-local, private (RFC 1918, fc00::/7) or
     * other non-public addresses; the local farm sets it, a shared farm must not.
     */
    @WithDefault("false")
    boolean allowPrivate();

    /**
     * If set, the only destination hosts allowed (a name, or {@code *.domain} for its subdomains);
     * the private-range guard applies to them as well.
     */
    Optional<java.util.List<String>> allowedHosts();

    /** Attempts per delivery before it is given up. */
    @WithDefault("12")
    int maxAttempts();

    /** Hours after its event that a delivery not yet accepted is given up. */
    @WithDefault("24")
    int maxAgeHours();

    /** The wait before the first retry, in ms; it doubles per attempt (with jitter). */
    @WithDefault("5000")
    int retryFirstMs();

    /** The longest wait between two attempts, in seconds. */
    @WithDefault("3600")
    int retryMaxSeconds();

    /** How long one attempt may take (connect and answer), in seconds. */
    @WithDefault("10")
    int timeoutSeconds();

    /** How often the leader looks for due deliveries, in ms. */
    @WithDefault("500")
    int pollMs();
  }

  interface Join {
    /**
     * The secret a worker or encoder on another host sends to {@code GET /api/v1/farm/join}; none:
     * joining is disabled (the local farm generates one, kept in its directory).
     */
    Optional<String> token();

    /**
     * Kafka bootstrap servers as the joining hosts reach them (default: {@code
     * reelfarm.kafka.bootstrap}, which may be a loopback address only this host reaches).
     */
    Optional<String> kafkaBootstrap();

    /**
     * The S3 endpoint as the joining hosts reach it (default: {@code
     * reelfarm.artifacts.s3.endpoint}, which may be a loopback address only this host reaches).
     */
    Optional<String> s3Endpoint();
  }

  interface Auth {
    /**
     * Every API and SSE route needs an API key (Authorization: Bearer). false turns that off: every
     * request then acts as an admin of the default team (logged as a warning at start).
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * A file holding an admin key of the default team (the local farm writes one): hashed and
     * stored at start, so the first admin can create teams and keys.
     */
    Optional<String> bootstrapKeyFile();

    /** Submissions per minute each key may sustain (a token bucket per key and replica). */
    @WithDefault("600")
    int submitPerMinute();

    /** Submissions a key may send at once before {@code submit-per-minute} applies. */
    @WithDefault("100")
    int submitBurst();
  }

  interface Policy {
    /** Refuse prompts the policy's rules match (422); false: every prompt is accepted. */
    @WithDefault("true")
    boolean enabled();

    /**
     * A policy file (JSON: {@code rules}, {@code teams}) instead of the one shipped in the
     * orchestrator ({@code reelfarm/prompt-policy.json} on its class path).
     */
    Optional<Path> file();
  }
}
