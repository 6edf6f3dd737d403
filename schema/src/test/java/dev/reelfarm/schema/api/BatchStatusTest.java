package dev.reelfarm.schema.api;

import static dev.reelfarm.schema.api.JobStatus.CANCELLED;
import static dev.reelfarm.schema.api.JobStatus.ENCODING;
import static dev.reelfarm.schema.api.JobStatus.FAILED;
import static dev.reelfarm.schema.api.JobStatus.QUEUED;
import static dev.reelfarm.schema.api.JobStatus.RUNNING;
import static dev.reelfarm.schema.api.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a batch's status follows from its shots' (and its sequence's) states. */
class BatchStatusTest {

  @Test
  void aBatchIsQueuedOnlyWhileEveryShotIsQueued() {
    assertThat(BatchStatus.of(List.of(QUEUED, QUEUED), false, null)).isEqualTo(BatchStatus.QUEUED);
    assertThat(BatchStatus.of(List.of(QUEUED, RUNNING), false, null))
        .isEqualTo(BatchStatus.RUNNING);
  }

  @Test
  void aBatchRunsWhileAnyShotIsOpenEvenWhenOthersFinished() {
    assertThat(BatchStatus.of(List.of(SUCCEEDED, QUEUED), false, null))
        .isEqualTo(BatchStatus.RUNNING);
    assertThat(BatchStatus.of(List.of(FAILED, ENCODING), true, null))
        .isEqualTo(BatchStatus.RUNNING);
  }

  @Test
  void clipsSucceedWhenEveryShotSucceeded() {
    assertThat(BatchStatus.of(List.of(SUCCEEDED, SUCCEEDED), false, null))
        .isEqualTo(BatchStatus.SUCCEEDED);
  }

  @Test
  void aSequenceEncodesAfterItsShotsAndSucceedsOnlyWithItsVideo() {
    var shots = List.of(SUCCEEDED, SUCCEEDED, SUCCEEDED);
    assertThat(BatchStatus.of(shots, true, null)).isEqualTo(BatchStatus.ENCODING);
    assertThat(BatchStatus.of(shots, true, SequenceStatus.ENCODING))
        .isEqualTo(BatchStatus.ENCODING);
    assertThat(BatchStatus.of(shots, true, SequenceStatus.SUCCEEDED))
        .isEqualTo(BatchStatus.SUCCEEDED);
    assertThat(BatchStatus.of(shots, true, SequenceStatus.FAILED)).isEqualTo(BatchStatus.PARTIAL);
    assertThat(BatchStatus.of(shots, true, SequenceStatus.CANCELLED))
        .isEqualTo(BatchStatus.PARTIAL);
  }

  @Test
  void someShotsSucceededIsPartialNoneIsFailedOrCancelled() {
    assertThat(BatchStatus.of(List.of(SUCCEEDED, FAILED), false, null))
        .isEqualTo(BatchStatus.PARTIAL);
    assertThat(BatchStatus.of(List.of(SUCCEEDED, CANCELLED), true, null))
        .isEqualTo(BatchStatus.PARTIAL);
    assertThat(BatchStatus.of(List.of(FAILED, CANCELLED), false, null))
        .isEqualTo(BatchStatus.FAILED);
    assertThat(BatchStatus.of(List.of(CANCELLED, CANCELLED), true, null))
        .isEqualTo(BatchStatus.CANCELLED);
  }

  @Test
  void exactlyTheLastFourStatusesAreFinal() {
    assertThat(BatchStatus.FINAL)
        .containsExactlyInAnyOrder(
            BatchStatus.SUCCEEDED, BatchStatus.PARTIAL, BatchStatus.FAILED, BatchStatus.CANCELLED);
    assertThat(BatchStatus.QUEUED.isFinal()).isFalse();
    assertThat(BatchStatus.ENCODING.isFinal()).isFalse();
  }
}
