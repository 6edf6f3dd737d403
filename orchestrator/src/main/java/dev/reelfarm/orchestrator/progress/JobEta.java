package dev.reelfarm.orchestrator.progress;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.schema.presets.Preset;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Feeds {@link EtaEstimator} with the farm's live worker count and the encoder's recent pace. */
@ApplicationScoped
public class JobEta {
  /** Used until the farm has encoded a clip: x264 veryfast at 1080p on a small machine. */
  private static final double DEFAULT_ENCODE_MS_PER_FRAME = 40;

  private final ReelfarmConfig config;
  private final WorkerRepository workers;

  public JobEta(ReelfarmConfig config, WorkerRepository workers) {
    this.config = config;
    this.workers = workers;
  }

  public Double remainingSeconds(Connection c, JobRow job, List<ChunkRow> chunks, Instant now) throws SQLException {
    if (job.isFinal()) return null;
    int outputFrames = (int) Math.round((double) job.totalFrames() * Preset.find(job.preset()).map(Preset::fps).orElse(30) / job.nativeFps());
    double encodeSeconds = encodeMsPerFrame(c) * outputFrames / 1000.0;
    List<EtaEstimator.ChunkState> states =
        chunks.stream()
            .map(ch -> new EtaEstimator.ChunkState(ch.index(), ch.status(), ch.step(), ch.steps(), ch.startedAt(), ch.finishedAt(), ch.dependsOn()))
            .toList();
    return EtaEstimator.remainingSeconds(states, Math.max(1, workers.liveCount(c, config.workerLiveSeconds())), encodeSeconds, job.encodingStartedAt(), now);
  }

  private static double encodeMsPerFrame(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT avg(encode_ms::float8 / video_frames) FROM (SELECT encode_ms, video_frames FROM render_job"
                    + " WHERE status = 'SUCCEEDED' AND video_frames > 0 ORDER BY finished_at DESC LIMIT 10) recent");
        ResultSet r = s.executeQuery()) {
      r.next();
      double v = r.getDouble(1);
      return r.wasNull() ? DEFAULT_ENCODE_MS_PER_FRAME : v;
    }
  }
}
