package dev.reelfarm.encoder.messaging;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.JobEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The complete tasks this encoder finished lately, with what it reported for each. The orchestrator
 * sends a job's encode task again each time its encode timeout passes without word from an encoder
 * (the encoder is down, or busy with other encodes), so after an outage several copies of one task
 * wait on its partition; encoding every copy again starved the jobs behind them (measured: 8 full
 * encodes of one job after an encoder was killed and restarted). A copy identical to a finished
 * task, whose video is still on the store, is answered with the same report at once.
 */
final class RecentEncodes {
  static final int CAPACITY = 64;

  private final Map<EncodeTask, JobEvent.Encoded> done =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<EncodeTask, JobEvent.Encoded> eldest) {
          return size() > CAPACITY;
        }
      };

  /** The report of an identical finished task whose video is still there, newly timestamped. */
  Optional<JobEvent.Encoded> find(EncodeTask task, ArtifactStore store) {
    JobEvent.Encoded earlier = done.get(task);
    if (earlier == null || store.size(earlier.videoUri()).isEmpty()) return Optional.empty();
    return Optional.of(
        new JobEvent.Encoded(
            earlier.schemaVersion(),
            earlier.jobId(),
            earlier.videoUri(),
            earlier.posterUri(),
            earlier.sizeBytes(),
            earlier.durationSeconds(),
            earlier.frames(),
            earlier.encodeMs(),
            System.currentTimeMillis()));
  }

  void remember(EncodeTask task, JobEvent.Encoded reported) {
    done.put(task, reported);
  }
}
