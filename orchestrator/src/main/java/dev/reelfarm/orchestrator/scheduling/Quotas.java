package dev.reelfarm.orchestrator.scheduling;

import dev.reelfarm.orchestrator.persistence.TeamShares.QuotaStanding;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Whether a team may queue one more job: its max queued jobs and its GPU-seconds per day (the UTC
 * day). Pure: the submission path reads the team's standing and refuses with the answer.
 */
public final class Quotas {

  /** A refusal: {@code limit} names the quota, {@code retryAfter} when asking again may succeed. */
  public record Refusal(String limit, String message, Duration retryAfter) {}

  /**
   * The refusal of one more job, or empty when it may be queued.
   *
   * @param queuedRetry the Retry-After when the team has its maximum of jobs queued (a job's end
   *     cannot be foreseen)
   */
  public static Optional<Refusal> admit(QuotaStanding s, Duration queuedRetry) {
    return admit(s, queuedRetry, 1);
  }

  /** The refusal of {@code jobs} more jobs at once (a batch's shots), or empty. */
  public static Optional<Refusal> admit(QuotaStanding s, Duration queuedRetry, int jobs) {
    if (s.maxQueuedJobs() != null && s.queuedJobs() + jobs > s.maxQueuedJobs())
      return Optional.of(
          new Refusal(
              "max-queued-jobs",
              "team "
                  + s.team()
                  + " has "
                  + s.queuedJobs()
                  + " jobs queued or running, its max-queued-jobs limit is "
                  + s.maxQueuedJobs()
                  + (jobs == 1
                      ? "; submit again when one has finished"
                      : "; " + jobs + " more would exceed it"),
              queuedRetry));
    if (s.gpuSecondsPerDay() != null && s.gpuSecondsToday() >= s.gpuSecondsPerDay())
      return Optional.of(
          new Refusal(
              "gpu-seconds-per-day",
              "team "
                  + s.team()
                  + " has used "
                  + Math.round(s.gpuSecondsToday())
                  + " GPU-seconds today (UTC), its gpu-seconds-per-day limit is "
                  + s.gpuSecondsPerDay()
                  + "; it resets at 00:00 UTC",
              untilNextUtcDay(s.now())));
    return Optional.empty();
  }

  /** 00:00 UTC of the day {@code now} falls on. */
  public static Instant dayStart(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  static Duration untilNextUtcDay(Instant now) {
    return Duration.between(now, dayStart(now).plus(Duration.ofDays(1)));
  }

  private Quotas() {}
}
