package dev.reelfarm.encoder.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.messages.JobEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EncoderMetricsTest {
  private final EncoderMetrics metrics = new EncoderMetrics();
  private final List<JobEvent> published = new ArrayList<>();
  private final UUID job = UUID.randomUUID();

  @Test
  void aPublishedEncodeIsTimedAndCountedWithItsFramesAndAFailureIsCounted() {
    var events = metrics.observe(published::add);
    events.accept(new JobEvent.Encoding(1, job, 0));
    events.accept(new JobEvent.Encoded(1, job, "v", "p", 1000, 4.0, 120, 1500, 0));
    events.accept(new JobEvent.Failed(1, job, "no frames", 0));

    assertThat(published).hasSize(3);
    assertThat(metrics.encodes.count()).isEqualTo(1);
    assertThat(metrics.frames.count()).isEqualTo(120);
    assertThat(metrics.failed.count()).isEqualTo(1);
    assertThat(metrics.encode.count()).isEqualTo(1);
    assertThat(metrics.encode.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
    assertThat(metrics.scrape())
        .contains("reelfarm_encoder_encodes_total 1")
        .contains("reelfarm_encoder_encodes_failed_total 1")
        .contains("reelfarm_encoder_frames_encoded_total 120")
        .contains("reelfarm_encoder_encode_seconds_bucket{le=\"2.5\"} 1")
        .contains("reelfarm_encoder_encode_seconds_bucket{le=\"1.0\"} 0");
  }

  @Test
  void anEventThatCouldNotBePublishedIsNotCounted() {
    var events =
        metrics.observe(
            e -> {
              throw new IllegalStateException("broker down");
            });
    assertThatThrownBy(
            () -> events.accept(new JobEvent.Encoded(1, job, "v", "p", 1000, 4.0, 120, 1500, 0)))
        .hasMessage("broker down");
    assertThat(metrics.encodes.count()).isZero();
    assertThat(metrics.encode.count()).isZero();
  }
}
