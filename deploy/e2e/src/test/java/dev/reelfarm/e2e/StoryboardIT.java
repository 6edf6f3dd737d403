package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Storyboard approval on the shared farm (issue 15, acceptance 5): a job with {@code review:
 * keyframes} waits in AWAITING_APPROVAL with no infill chunk ever dispatched until it is approved,
 * serves its keyframes as PNGs, and then renders to SUCCEEDED; a rejected one is CANCELLED and
 * renders nothing more; a rerolled one shows other keyframes and waits again.
 */
@Timeout(600)
class StoryboardIT {
  /** 3 s at the fixture's 8 fps: 24 frames, one anchor chunk and four infills. */
  private static final String JOB =
      "{\"prompt\":\"a red circle moving right\",\"durationSeconds\":3,\"steps\":2,"
          + "\"seed\":%d,\"review\":\"keyframes\"}";

  private static final Duration RENDER = Duration.ofSeconds(240);

  /** How long a waiting job is watched for an infill dispatch that must not come. */
  private static final Duration HOLD = Duration.ofSeconds(8);

  static FarmClient admin;
  static FarmClient team;
  static String teamKey;

  @BeforeAll
  static void team() throws Exception {
    admin = SharedFarm.client();
    var created = admin.post("/api/v1/teams", "{\"name\":\"storyboard-it\"}");
    assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
    var key =
        admin.post(
            "/api/v1/teams/storyboard-it/keys",
            "{\"name\":\"it\",\"scopes\":[\"submit\",\"read\",\"cancel\"]}");
    assertThat(key.status()).as("%s", key.body()).isEqualTo(201);
    teamKey = key.body().get("key").asText();
    team = admin.as(teamKey);
  }

  @Test
  void aReviewJobWaitsWithNoInfillDispatchedServesItsKeyframesAndRendersOnceApproved()
      throws Exception {
    Instant submitted = Instant.now();
    String job = team.submit(JOB.formatted(11));

    JsonNode waiting = awaitStatus(job, "AWAITING_APPROVAL");
    Instant waitingSeen = Instant.now();
    assertThat(waiting.get("etaSeconds").isNull()).as("no ETA while a person decides").isTrue();
    assertThat(waiting.get("progress").asDouble()).isBetween(0.0, 0.9);
    assertNoInfillEverDispatched(job);
    holdsFor(HOLD, () -> infillsTouched(job) == 0 && status(job).equals("AWAITING_APPROVAL"));

    JsonNode storyboard = team.get("/api/v1/renders/" + job + "/storyboard").body();
    assertThat(storyboard.get("review").asText()).isEqualTo("keyframes");
    assertThat(storyboard.get("round").asInt()).isEqualTo(1);
    assertThat(storyboard.get("seed").asText()).isEqualTo("11");
    assertThat(storyboard.get("keyframes").findValuesAsText("frame"))
        .containsExactly("0", "7", "14", "21");
    List<BufferedImage> keyframes = keyframes(storyboard);
    Instant awaitingSince = Instant.parse(storyboard.get("awaitingSince").asText());

    var approved = team.post("/api/v1/renders/" + job + "/approve", "");
    assertThat(approved.status()).as("%s", approved.body()).isEqualTo(200);
    Instant approvedAt = Instant.now();
    assertThat(approved.body().get("status").asText()).isIn("RUNNING", "ENCODING", "SUCCEEDED");
    JsonNode done = admin.awaitFinal(job, RENDER);
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.get("video").get("frames").asInt()).isPositive();
    assertThat(infillsTouched(job)).as("infills rendered once approved").isEqualTo(4);
    List<SseClient.Event> stream =
        SseClient.read(
            SharedFarm.farm().apiBase().resolve("/api/v1/renders/" + job + "/events"),
            teamKey,
            null,
            e -> e.type().equals("succeeded"),
            Duration.ofSeconds(30));
    assertThat(stream)
        .extracting(SseClient.Event::type)
        .containsSubsequence("chunk-completed", "awaiting-approval", "approved", "succeeded");
    assertThat(stream.stream().filter(e -> e.type().equals("awaiting-approval")).findFirst())
        .hasValueSatisfying(
            e -> assertThat(e.data()).contains("\"keyframes\":4").contains("/storyboard"));
    assertThat(team.post("/api/v1/renders/" + job + "/approve", "").status())
        .as("approving a finished job")
        .isEqualTo(409);
    System.out.printf(
        "storyboard approve: %d keyframes of %dx%d, AWAITING_APPROVAL %.1f s after submit,"
            + " waited %.1f s (watched %d s with 0 infills dispatched), SUCCEEDED %.1f s after"
            + " the approval%n",
        keyframes.size(),
        keyframes.get(0).getWidth(),
        keyframes.get(0).getHeight(),
        seconds(submitted, awaitingSince),
        seconds(awaitingSince, approvedAt),
        HOLD.toSeconds(),
        seconds(approvedAt, Instant.parse(done.get("finishedAt").asText())));
    assertThat(waitingSeen).isAfterOrEqualTo(awaitingSince);
  }

  @Test
  void aRejectedJobIsCancelledAndNothingMoreOfItRenders() throws Exception {
    String job = team.submit(JOB.formatted(21));
    awaitStatus(job, "AWAITING_APPROVAL");

    var refused = team.post("/api/v1/renders/" + job + "/reject", "{\"action\":\"discard\"}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("field").asText()).isEqualTo("action");
    var rejected = team.post("/api/v1/renders/" + job + "/reject", "{\"action\":\"cancel\"}");
    assertThat(rejected.status()).as("%s", rejected.body()).isEqualTo(200);
    assertThat(rejected.body().get("status").asText()).isEqualTo("CANCELLED");

    holdsFor(HOLD, () -> infillsTouched(job) == 0 && status(job).equals("CANCELLED"));
    assertNoInfillEverDispatched(job);
    assertThat(
            admin.count(
                "SELECT count(*) FROM chunk WHERE job_id = '"
                    + job
                    + "' AND role = 'INFILL' AND status = 'CANCELLED'"))
        .isEqualTo(4);
    assertThat(team.get("/api/v1/renders/" + job).body().get("video").isNull()).isTrue();
    assertThat(eventTypes(job)).endsWith("awaiting-approval", "cancelled");
    System.out.printf(
        "storyboard reject: CANCELLED, 0 of 4 infills dispatched over %d s%n", HOLD.toSeconds());
  }

  @Test
  void aRerolledJobShowsOtherKeyframesWaitsAgainAndRendersOnceApproved() throws Exception {
    String job = team.submit(JOB.formatted(31));
    awaitStatus(job, "AWAITING_APPROVAL");
    JsonNode first = team.get("/api/v1/renders/" + job + "/storyboard").body();
    List<BufferedImage> before = keyframes(first);

    var rerolled =
        team.post("/api/v1/renders/" + job + "/reject", "{\"action\":\"reroll\",\"seed\":4242}");
    assertThat(rerolled.status()).as("%s", rerolled.body()).isEqualTo(200);
    assertThat(rerolled.body().get("seed").asText()).isEqualTo("4242");
    JsonNode second =
        FarmClient.awaitValue(
            "round 2 of the storyboard",
            RENDER,
            () -> {
              var r = team.get("/api/v1/renders/" + job + "/storyboard");
              return r.status() == 200 && r.body().get("round").asInt() == 2 ? r.body() : null;
            });
    assertThat(status(job)).isEqualTo("AWAITING_APPROVAL");
    assertThat(second.get("seed").asText()).isEqualTo("4242");
    assertNoInfillEverDispatched(job);
    List<BufferedImage> after = keyframes(second);
    int differing = 0;
    for (int i = 0; i < before.size(); i++)
      if (!samePixels(before.get(i), after.get(i))) differing++;
    assertThat(differing).as("keyframes that changed with the new seed").isEqualTo(before.size());
    assertThat(admin.count("SELECT count(*) FROM discarded_chunk_run WHERE job_id = '" + job + "'"))
        .isEqualTo(1);

    assertThat(team.post("/api/v1/renders/" + job + "/approve", "").status()).isEqualTo(200);
    JsonNode done = admin.awaitFinal(job, RENDER);
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(eventTypes(job))
        .containsSubsequence(
            "awaiting-approval", "rerolled", "awaiting-approval", "approved", "succeeded");
    System.out.printf(
        "storyboard reroll: %d of %d keyframes differ after the reroll (seed 31 -> 4242)%n",
        differing, before.size());
  }

  @Test
  void reviewsThatCannotHaveKeyframesAreRefusedNamingReview() throws Exception {
    for (String body :
        List.of(
            "{\"prompt\":\"x\",\"durationSeconds\":1,\"review\":\"keyframes\"}",
            "{\"prompt\":\"x\",\"durationSeconds\":3,\"mode\":\"sequential\",\"review\":\"keyframes\"}")) {
      var r = team.post("/api/v1/renders", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.body().get("field").asText()).as(body).isEqualTo("review");
    }
    String sequential =
        team.submit("{\"prompt\":\"x\",\"durationSeconds\":1,\"steps\":2,\"mode\":\"sequential\"}");
    assertThat(team.get("/api/v1/renders/" + sequential + "/storyboard").status()).isEqualTo(409);
    assertThat(team.post("/api/v1/renders/" + sequential + "/approve", "").status()).isEqualTo(409);
  }

  private static String status(String job) throws Exception {
    return team.get("/api/v1/renders/" + job).body().get("status").asText();
  }

  private static JsonNode awaitStatus(String job, String status) throws Exception {
    return FarmClient.awaitValue(
        "render " + job + " " + status,
        RENDER,
        () -> {
          JsonNode view = team.get("/api/v1/renders/" + job).body();
          String now = view.get("status").asText();
          assertThat(now).as("render %s on its way to %s", job, status).isNotIn("FAILED");
          return now.equals(status) ? view : null;
        });
  }

  /** Infill chunks of the job that were ever dispatched, or are anything but PENDING. */
  private static long infillsTouched(String job) throws Exception {
    return admin.count(
        "SELECT count(*) FROM chunk WHERE job_id = '"
            + job
            + "' AND role = 'INFILL' AND (dispatch_epoch > 0 OR dispatched_at IS NOT NULL"
            + " OR status NOT IN ('PENDING', 'CANCELLED'))");
  }

  /** No infill was dispatched: none left READY, none with a dispatch, no task of one written. */
  private static void assertNoInfillEverDispatched(String job) throws Exception {
    assertThat(infillsTouched(job)).isZero();
    assertThat(
            admin.count(
                "SELECT count(*) FROM outbox o JOIN chunk ch ON ch.id = (o.payload::jsonb->>'chunkId')::bigint"
                    + " WHERE o.topic = 'reelfarm.chunk.tasks' AND ch.job_id = '"
                    + job
                    + "' AND ch.role = 'INFILL'"))
        .as("chunk tasks of infills in the outbox")
        .isZero();
  }

  /** Polls {@code condition} every 200 ms for {@code window}: it must hold every time. */
  private static void holdsFor(Duration window, Callable<Boolean> condition) throws Exception {
    Instant end = Instant.now().plus(window);
    int checks = 0;
    while (Instant.now().isBefore(end)) {
      assertThat(condition.call()).as("check %d of the %s window", ++checks, window).isTrue();
      Thread.sleep(200);
    }
    assertThat(checks).isGreaterThan(5);
  }

  /** Every keyframe of the storyboard, decoded: the storyboard's size, and not blank. */
  private static List<BufferedImage> keyframes(JsonNode storyboard) throws Exception {
    int width = storyboard.get("width").asInt();
    int height = storyboard.get("height").asInt();
    List<BufferedImage> images = new ArrayList<>();
    for (JsonNode k : storyboard.get("keyframes")) {
      HttpResponse<byte[]> png = team.getBytes(k.get("url").asText(), Map.of());
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
      assertThat(image).as("keyframe %s decodes", k.get("index")).isNotNull();
      assertThat(image.getWidth()).isEqualTo(width);
      assertThat(image.getHeight()).isEqualTo(height);
      Set<Integer> colours = new HashSet<>();
      for (int y = 0; y < height; y += 4)
        for (int x = 0; x < width; x += 4) colours.add(image.getRGB(x, y));
      assertThat(colours.size())
          .as("distinct colours of keyframe %s", k.get("index"))
          .isGreaterThan(16);
      images.add(image);
    }
    assertThat(
            team.getBytes(
                    storyboard
                        .get("keyframes")
                        .get(0)
                        .get("url")
                        .asText()
                        .replace("/0.png", "/" + images.size() + ".png"),
                    Map.of())
                .statusCode())
        .as("a keyframe beyond the storyboard")
        .isEqualTo(404);
    return images;
  }

  private static boolean samePixels(BufferedImage a, BufferedImage b) {
    for (int y = 0; y < a.getHeight(); y++)
      for (int x = 0; x < a.getWidth(); x++) if (a.getRGB(x, y) != b.getRGB(x, y)) return false;
    return true;
  }

  private static List<String> eventTypes(String job) throws Exception {
    List<String> types = new ArrayList<>();
    try (var c = admin.db();
        var s =
            c.prepareStatement("SELECT type FROM job_event WHERE job_id = ?::uuid ORDER BY seq")) {
      s.setString(1, job);
      try (var r = s.executeQuery()) {
        while (r.next()) types.add(r.getString(1));
      }
    }
    return types;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
