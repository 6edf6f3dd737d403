package dev.reelfarm.orchestrator.progress;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.presets.Preset;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Feeds {@link EtaEstimator} with the farm's live worker count and the recent pace of a job's last
 * leg (last chunk done → video ready: stitching, encoding, upload), per output frame.
 */
@ApplicationScoped
public class JobEta {
  /**
   * Used until the farm has finished a job. The encoder encodes the start of a clip while the rest
   * renders, but at low priority, so how much is left after the last chunk depends on how busy the
   * workers kept the CPU: measured on a 2-core machine with 2 workers, ~10 s for an 8 s clip (240
   * frames).
   */
  private static final double DEFAULT_FINISH_MS_PER_FRAME = 40;

  /** Recent successful jobs whose finishing pace is averaged. */
  private static final int PACE_JOBS = 10;

  private final ReelfarmConfig config;
  private final WorkerRepository workers;
  private final RenderRepository renders;

  public JobEta(ReelfarmConfig config, WorkerRepository workers, RenderRepository renders) {
    this.config = config;
    this.workers = workers;
    this.renders = renders;
  }

  /** Estimates for one API request, on its connection. */
  public Request forRequest(Connection c) {
    return new Request(c);
  }

  /**
   * Reads the farm-wide inputs (live workers, recent finishing pace) at most once, when the first
   * unfinished job asks: a page of 50 jobs would otherwise query them 50 times.
   */
  public final class Request {
    private final Connection c;
    private int liveWorkers;
    private double finishMsPerFrame = Double.NaN;

    private Request(Connection c) {
      this.c = c;
    }

    /**
     * Seconds until the job's video is ready, or null for a finished job and one whose storyboard
     * waits for a person's approval (the wait is theirs, not the farm's).
     */
    public Double remainingSeconds(JobRow job, List<ChunkRow> chunks, Instant now)
        throws SQLException {
      if (job.isFinal() || job.status() == JobStatus.AWAITING_APPROVAL) return null;
      if (Double.isNaN(finishMsPerFrame)) {
        liveWorkers = Math.max(1, workers.liveCount(c, config.workers().liveSeconds()));
        finishMsPerFrame =
            renders.recentFinishMsPerFrame(c, PACE_JOBS).orElse(DEFAULT_FINISH_MS_PER_FRAME);
      }
      JobRow.Spec spec = job.spec();
      int outputFrames =
          (int)
              Math.round(
                  (double) spec.totalFrames()
                      * Preset.find(spec.preset()).map(Preset::fps).orElse(30)
                      / spec.nativeFps());
      List<EtaEstimator.ChunkState> states =
          chunks.stream()
              .map(
                  ch ->
                      new EtaEstimator.ChunkState(
                          ch.index(),
                          ch.status(),
                          ch.run().step(),
                          ch.run().steps(),
                          ch.run().workerId(),
                          ch.run().startedAt(),
                          ch.run().finishedAt(),
                          ch.plan().dependsOn()))
              .toList();
      return EtaEstimator.remainingSeconds(
          states,
          liveWorkers,
          finishMsPerFrame * outputFrames / 1000.0,
          job.state().encodingStartedAt(),
          now);
    }
  }
}
