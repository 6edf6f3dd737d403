package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.config.ArtifactsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same request rendered by a farm on the filesystem store and by a farm on the S3 store
 * (S3Proxy started with the farm): the clips are frame-identical, and the S3 farm keeps no chunk
 * artifact on the local disk (its artifacts directory stays empty, the encoder's downloaded frames
 * are dropped after the encode).
 */
class S3ArtifactStoreIT {
  private static final String REQUEST =
      "{\"prompt\":\"a red circle moving right on a blue background\",\"durationSeconds\":2,"
          + "\"seed\":4321,\"steps\":4}";

  @TempDir static Path tmp;

  @Test
  void theS3StoreRendersTheSameFramesAsTheFilesystemStoreAndLeavesNoLocalArtifacts()
      throws Exception {
    Path s3Video = render(ArtifactsConfig.Store.S3, "s3");
    Path fsVideo = render(ArtifactsConfig.Store.FS, "fs");

    List<String> fsFrames = VideoProbe.frameHashes(fsVideo);
    assertThat(fsFrames).hasSizeGreaterThan(10);
    assertThat(VideoProbe.frameHashes(s3Video)).isEqualTo(fsFrames);
  }

  private Path render(ArtifactsConfig.Store store, String name) throws Exception {
    try (LocalFarm farm =
        FarmClient.testFarm(tmp.resolve("farm-" + name)).artifacts(store).start()) {
      FarmClient client = new FarmClient(farm);
      String id = client.submit(REQUEST);
      JsonNode job = client.awaitFinal(id, Duration.ofSeconds(600));
      assertThat(job.get("status").asText()).as("%s job %s", name, job).isEqualTo("SUCCEEDED");
      Path video = tmp.resolve(name + ".mp4");
      assertThat(client.download("/api/v1/renders/" + id + "/video", video).statusCode())
          .isEqualTo(200);
      var range =
          client.getBytes("/api/v1/renders/" + id + "/video", Map.of("Range", "bytes=100-199"));
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).hasSize(100);
      if (store == ArtifactsConfig.Store.S3) {
        assertThat(client.count("SELECT count(*) FROM render_job WHERE video_uri LIKE 's3://%'"))
            .isEqualTo(1);
        assertThat(filesUnder(farm.artifactsDir())).as("local artifacts of the s3 farm").isEmpty();
        assertThat(filesUnder(farm.dir().resolve("scratch")))
            .as("chunk artifacts left in the services' scratch")
            .noneMatch(p -> p.toString().contains("/chunks/"));
      }
      return video;
    }
  }

  private static List<Path> filesUnder(Path dir) throws Exception {
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }
}
