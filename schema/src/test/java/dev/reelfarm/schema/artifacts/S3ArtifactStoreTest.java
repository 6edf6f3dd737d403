package dev.reelfarm.schema.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.testing.TestS3;
import dev.reelfarm.testing.WithS3;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 store against a real S3 server (S3Proxy): each test in a prefix of its own. */
@WithS3
class S3ArtifactStoreTest {
  private final TestS3 server;
  @TempDir Path scratch;
  private S3ArtifactStore store;

  S3ArtifactStoreTest(TestS3 server) {
    this.server = server;
  }

  @BeforeEach
  void open() {
    store = open(false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private S3ArtifactStore open(boolean presign) {
    var config =
        FarmConfig.of(
            FarmConfig.build(
                FarmConfig.builder()
                    .withDefaultValues(
                        Map.of(
                            "reelfarm.artifacts.store", "s3",
                            "reelfarm.artifacts.scratch-dir", scratch.toString(),
                            "reelfarm.artifacts.s3.endpoint", server.endpoint(),
                            "reelfarm.artifacts.s3.bucket", "store-test",
                            "reelfarm.artifacts.s3.prefix", "t-" + UUID.randomUUID(),
                            "reelfarm.artifacts.s3.access-key", server.accessKey(),
                            "reelfarm.artifacts.s3.secret-key", server.secretKey(),
                            "reelfarm.artifacts.s3.presign", Boolean.toString(presign)))));
    return (S3ArtifactStore) ArtifactStores.open(config.artifacts());
  }

  @Test
  void writtenArtifactReadsBackUnderAnS3Uri() {
    String uri = store.write("jobs/j/chunks/0/run-r/frames.rgb", bytes(1000, 1));
    assertThat(uri).startsWith("s3://store-test/t-").endsWith("/jobs/j/chunks/0/run-r/frames.rgb");
    assertThat(store.read(uri)).isEqualTo(bytes(1000, 1));
    assertThat(store.size(uri)).hasValue(1000);
    assertThat(store.key(uri)).isEqualTo("jobs/j/chunks/0/run-r/frames.rgb");
  }

  @Test
  void aRetriedWriteReplacesTheWholeArtifact() {
    store.write("a/frames.rgb", bytes(5000, 1));
    String uri = store.write("a/frames.rgb", out -> out.write(bytes(300, 2)));
    assertThat(store.read(uri)).isEqualTo(bytes(300, 2));
  }

  @Test
  void aRangeReadsJustThoseBytes() throws Exception {
    String uri = store.write("v.mp4", bytes(4096, 3));
    try (InputStream in = store.open(uri, 100, 50)) {
      assertThat(in.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(bytes(4096, 3), 100, 150));
    }
  }

  @Test
  void aLargeFileGoesUpInPartsAndReadsBackWhole() throws Exception {
    Path big = scratch.resolve("big.bin");
    byte[] data = bytes((int) S3ArtifactStore.MULTIPART_THRESHOLD + 3_000_000, 4);
    Files.write(big, data);
    String uri = store.upload("jobs/j/output/720p.mp4", big);
    assertThat(store.size(uri)).hasValue(data.length);
    assertThat(Files.readAllBytes(store.localCopy(uri))).isEqualTo(data);
    store.evictLocalCopy(uri);
    assertThat(store.localCopy(uri)).exists();
  }

  @Test
  void deleteTreeRemovesThePrefixAndNothingBeside() {
    store.write("jobs/j/chunks/0/run-a/frames.rgb", bytes(10, 1));
    store.write("jobs/j/chunks/1/run-b/latents.f32", bytes(10, 1));
    store.write("jobs/j/chunksx/keep", bytes(10, 1));
    String video = store.write("jobs/j/output/720p.mp4", bytes(10, 1));
    assertThat(store.list("jobs/j/chunks")).hasSize(2);
    store.deleteTree("jobs/j/chunks");
    assertThat(store.list("jobs/j/chunks")).isEmpty();
    assertThat(store.list("jobs/j"))
        .containsExactlyInAnyOrder("jobs/j/chunksx/keep", store.key(video));
    store.deleteTree("jobs/none"); // nothing there: fine
  }

  @Test
  void theFirstClaimantHoldsTheClaimAndOthersAreRefused() {
    assertThat(store.claim("c/claims/epoch-1", "worker-1")).isTrue();
    assertThat(store.claim("c/claims/epoch-1", "worker-2")).isFalse();
    assertThat(store.claim("c/claims/epoch-1", "worker-1")).isTrue(); // its own, again
    assertThat(store.claimant("c/claims/epoch-1")).hasValue("worker-1");
    assertThat(store.claimant("c/claims/epoch-2")).isEmpty();
  }

  @Test
  void ofConcurrentClaimantsAtMostOneWinsAndLaterOnesLose() throws Exception {
    var pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 5; round++) {
        String key = "c/claims/race-" + round;
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          String me = "worker-" + i;
          Callable<Boolean> claim = () -> store.claim(key, me);
          results.add(pool.submit(claim));
        }
        List<String> winners = new ArrayList<>();
        for (int i = 0; i < 6; i++) if (results.get(i).get()) winners.add("worker-" + i);
        assertThat(winners).hasSizeLessThanOrEqualTo(1);
        if (winners.isEmpty()) {
          // Collided and all withdrew: the next claimant gets it.
          assertThat(store.claim(key, "worker-9")).isTrue();
          winners.add("worker-9");
        }
        assertThat(store.claimant(key)).hasValue(winners.get(0));
        assertThat(store.claim(key, "worker-late")).isFalse();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysAndUrisOutsideTheStoreAreRefused() {
    assertThatThrownBy(() -> store.write("jobs/../../x", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.read("s3://other-bucket/x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.size("file:/etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.size(store.uri("absent/key"))).isEmpty();
  }

  @Test
  void aPresignedUrlServesTheArtifactWithoutCredentials() throws Exception {
    try (S3ArtifactStore presigning = open(true)) {
      String uri = presigning.write("p/poster.jpg", bytes(777, 5));
      var url = presigning.presignedUrl(uri).orElseThrow();
      var response =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(bytes(777, 5));
    }
    assertThat(store.presignedUrl(store.uri("p/poster.jpg"))).isEmpty();
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
