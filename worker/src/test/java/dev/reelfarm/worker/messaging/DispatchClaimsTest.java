package dev.reelfarm.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.messages.ChunkTask;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatchClaimsTest {
  @TempDir Path root;

  private static ChunkTask task(int epoch) {
    return new ChunkTask(
        ChunkTask.SCHEMA_VERSION,
        UUID.randomUUID(),
        7,
        0,
        "p",
        null,
        1,
        4,
        5.0,
        0,
        2,
        List.of(0, 1),
        List.of(),
        "jobs/x/chunks/0",
        epoch);
  }

  @Test
  void theFirstWorkerClaimsADispatchAndARedeliveredCopyOnAnotherWorkerIsRefused() {
    DispatchClaims claims = new DispatchClaims(new FileArtifactStore(root));
    ChunkTask task = task(3);

    assertThat(claims.claim(task, "worker-1")).isTrue();
    assertThat(claims.claim(task, "worker-1")).as("its own local retry").isTrue();
    assertThat(claims.claim(task, "worker-2")).as("the redelivered copy").isFalse();
    assertThat(claims.claimant(task)).isEqualTo("worker-1");
  }

  @Test
  void aNewDispatchOfTheChunkIsANewClaim() {
    DispatchClaims claims = new DispatchClaims(new FileArtifactStore(root));
    assertThat(claims.claim(task(1), "worker-1")).isTrue();

    assertThat(claims.claim(task(2), "worker-2")).isTrue();
  }

  @Test
  void aTaskWithoutADispatchEpochIsNeverRefused() {
    DispatchClaims claims = new DispatchClaims(new FileArtifactStore(root));
    assertThat(claims.claim(task(0), "worker-1")).isTrue();
    assertThat(claims.claim(task(0), "worker-2")).isTrue();
  }
}
