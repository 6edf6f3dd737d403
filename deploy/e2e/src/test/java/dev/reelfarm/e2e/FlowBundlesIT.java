package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.mediaqa.VideoInfo;
import dev.reelfarm.mediaqa.VideoProbe;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A farm on each flow-matching fixture (models/training/export_flow_fixtures.py), one after the
 * other: the LTX-style bundle (8x time, 32x32 space, fp16 denoiser, 24 fps) and the Wan-style one
 * (4x time, 8x8 space, per-channel mean/std, 16 fps) each render a 3 s clip with the unchanged
 * farm: flow-matching Euler chosen from the bundle, sequential chunks whose context is re-encoded
 * from the previous chunk's last frame. Its own farms, because the shared one runs the DDIM
 * fixture.
 */
@Timeout(600)
class FlowBundlesIT {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"tiny-flow-ltx, 24, 17", "tiny-flow-wan, 16, 13"})
  void flowFixtureRendersAThreeSecondClipThroughTheFarm(String bundle, int fps, int window)
      throws Exception {
    Path dir = RepoLayout.locate().root().resolve("models/fixtures/" + bundle);
    try (LocalFarm farm = FarmClient.testFarm(tmp.resolve("farm")).modelBundle(dir).start()) {
      FarmClient client = new FarmClient(farm);
      String jobId =
          client.submit(
              "{\"prompt\":\"a red circle moving right on a blue background\","
                  + "\"durationSeconds\":3,\"preset\":\"tiktok\",\"seed\":7,\"steps\":2}");

      JsonNode job = client.awaitFinal(jobId, Duration.ofSeconds(300));

      assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("SUCCEEDED");
      Path mp4 = tmp.resolve(bundle + ".mp4");
      assertThat(client.download("/api/v1/renders/" + jobId + "/video", mp4).statusCode())
          .isEqualTo(200);
      VideoInfo info = VideoProbe.probe(mp4);
      assertThat(info.codec()).isEqualTo("h264");
      assertThat(info.width()).isEqualTo(1080);
      assertThat(info.height()).isEqualTo(1920);
      assertThat(info.frameRate()).isEqualTo(30.0);
      assertThat(info.frames()).isBetween(89, 91);
      int chunks = 0;
      int nativeFrames = 3 * fps;
      try (Connection c = client.db();
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT * FROM chunk WHERE job_id = ?::uuid ORDER BY chunk_index")) {
        s.setString(1, jobId);
        try (ResultSet r = s.executeQuery()) {
          int previousEnd = 0;
          while (r.next()) {
            assertThat(r.getString("status")).isEqualTo("DONE");
            assertThat(r.getInt("step")).isEqualTo(2);
            assertThat(r.getInt("owned_start")).isEqualTo(previousEnd);
            previousEnd = r.getInt("owned_end");
            chunks++;
          }
          assertThat(previousEnd).isGreaterThanOrEqualTo(nativeFrames);
        }
      }
      // Windows of 1 + s·k frames, each starting on its predecessor's last frame.
      int stride = window - 1;
      assertThat(chunks).isEqualTo((nativeFrames - 1 + stride - 1) / stride);
    }
  }
}
