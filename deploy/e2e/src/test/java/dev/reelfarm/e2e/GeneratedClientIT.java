package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.client.ApiClient;
import dev.reelfarm.client.ApiException;
import dev.reelfarm.client.api.RendersApi;
import dev.reelfarm.client.model.JobStatus;
import dev.reelfarm.client.model.RenderAccepted;
import dev.reelfarm.client.model.RenderSubmission;
import dev.reelfarm.client.model.RenderView;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.mediaqa.VideoInfo;
import dev.reelfarm.mediaqa.VideoProbe;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client generated from the orchestrator's OpenAPI document drives a real farm: 20
 * concurrent submissions with one Idempotency-Key make one job, the client follows it to SUCCEEDED
 * and downloads an MP4; the key reused with another body gets 422 naming the header.
 */
@Timeout(300)
class GeneratedClientIT {
  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;
  static RendersApi renders;

  @BeforeAll
  static void start() {
    farm = SharedFarm.farm();
    client = SharedFarm.client();
    ApiClient api = new ApiClient();
    api.updateBaseUri(farm.apiBase().toString().replaceAll("/$", ""));
    // every request carries the local farm's admin key, as the bearer scheme of the contract says
    api.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + farm.adminKey()));
    renders = new RendersApi(api);
  }

  @Test
  void submitsOnceFollowsAndDownloadsARenderThroughTheGeneratedClient() throws Exception {
    RenderSubmission request =
        new RenderSubmission()
            .prompt("a red circle moving right on a blue background")
            .durationSeconds(1.0)
            .steps(2)
            .seed(7L);
    String key = UUID.randomUUID().toString();
    long jobsBefore = client.count("SELECT count(*) FROM render_job");

    List<RenderAccepted> answers = submitConcurrently(request, key, 20);
    UUID id = answers.get(0).getId();
    assertThat(answers).extracting(RenderAccepted::getId).containsOnly(id);
    assertThat(client.count("SELECT count(*) FROM render_job") - jobsBefore).isEqualTo(1);

    RenderView done = awaitFinal(id, Duration.ofSeconds(180));
    assertThat(done.getStatus()).as("error: %s", done.getError()).isEqualTo(JobStatus.SUCCEEDED);

    File video = renders.getRenderVideo(id, null, null); // the latest version, the whole file
    byte[] bytes = Files.readAllBytes(video.toPath());
    assertThat(new String(Arrays.copyOfRange(bytes, 4, 8), StandardCharsets.US_ASCII))
        .as("an ISO BMFF file starts with its ftyp box")
        .isEqualTo("ftyp");
    VideoInfo info = VideoProbe.probe(video.toPath());
    assertThat(info.codec()).isEqualTo("h264");
    assertThat(info.frames()).isEqualTo(done.getVideo().getFrames());

    assertThatThrownBy(() -> renders.submitRender(request.durationSeconds(2.0), key))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getResponseBody()).contains("Idempotency-Key");
            });
    assertThat(client.count("SELECT count(*) FROM render_job") - jobsBefore).isEqualTo(1);
  }

  private static List<RenderAccepted> submitConcurrently(
      RenderSubmission request, String key, int requests) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RenderAccepted>> futures = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return renders.submitRender(request, key);
                }));
      }
      go.countDown();
      List<RenderAccepted> answers = new ArrayList<>();
      for (Future<RenderAccepted> f : futures) answers.add(f.get());
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static RenderView awaitFinal(UUID id, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      RenderView view = renders.getRender(id);
      if (view.getStatus() == JobStatus.SUCCEEDED
          || view.getStatus() == JobStatus.FAILED
          || view.getStatus() == JobStatus.CANCELLED
          || Instant.now().isAfter(deadline)) return view;
      Thread.sleep(200);
    }
  }
}
