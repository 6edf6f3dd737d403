package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.reelfarm.mediaqa.Thumbnails;
import dev.reelfarm.mediaqa.Thumbnails.Thumbnail;
import dev.reelfarm.mediaqa.VideoProbe;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shot lists on the shared farm: a 3-shot sequence batch with cuts and one with dissolves, each
 * shot 2–3 s at 2 steps in the default format. The sequence MP4 is probed (its frame count against
 * the shots' own videos'), its cut points are found in its decoded frames (each frame identified as
 * the nearest frame of the shots' own videos) and compared with the plan, and every sequence frame
 * is compared with the frame the plan says it shows, taken from the shots' own videos (a dissolve
 * frame: their mix).
 */
@Timeout(900)
class BatchSequenceIT {
  /**
   * Mean abs difference (8-bit levels over 40-px block means) allowed between a sequence frame and
   * the plan's frame from the shots' own videos: the two are separate x264 encodes of the same
   * pictures (measured on synthetic shots: 0.03 for a cut, 0.97 for a dissolve's mix).
   */
  static final double SAME_PICTURE = 3.0;

  static final String SHOTS =
      "\"defaults\":{\"steps\":2},\"shots\":["
          + "{\"prompt\":\"a red circle moving right\",\"durationSeconds\":2,\"seed\":11},"
          + "{\"prompt\":\"a blue square falling\",\"durationSeconds\":3,\"seed\":12},"
          + "{\"prompt\":\"a green triangle spinning\",\"durationSeconds\":2,\"seed\":13}]";

  @TempDir static Path tmp;
  static FarmClient client;
  static HttpServer receiver;
  static final List<String> webhooks = new CopyOnWriteArrayList<>();
  static JsonNode cut;
  static JsonNode dissolve;

  @BeforeAll
  static void renderBothBatches() throws Exception {
    FarmClient admin = SharedFarm.client();
    String team = "batches-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(admin.post("/api/v1/teams", "{\"name\":\"" + team + "\"}").status()).isEqualTo(201);
    var key =
        admin.post(
            "/api/v1/teams/" + team + "/keys",
            "{\"name\":\"it\",\"scopes\":[\"submit\",\"read\",\"cancel\"]}");
    client = admin.as(key.body().get("key").asText());
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          webhooks.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    var endpoint =
        client.post(
            "/api/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:"
                + receiver.getAddress().getPort()
                + "/hook\",\"events\":[\"batch.completed\"]}");
    assertThat(endpoint.status()).as("%s", endpoint.body()).isEqualTo(201);

    String cutId = submit("{" + SHOTS + ",\"deliver\":\"sequence\"}");
    String dissolveId =
        submit("{" + SHOTS + ",\"deliver\":\"sequence\",\"transition\":\"dissolve\"}");
    cut = awaitFinal(cutId);
    dissolve = awaitFinal(dissolveId);
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) receiver.stop(0);
  }

  private static String submit(String body) throws Exception {
    var r = client.post("/api/v1/batches", body);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(202);
    assertThat(r.raw().headers().firstValue("Location"))
        .hasValue("/api/v1/batches/" + r.body().get("id").asText());
    return r.body().get("id").asText();
  }

  private static JsonNode awaitFinal(String id) throws Exception {
    return FarmClient.awaitValue(
        "batch " + id + " final",
        Duration.ofMinutes(10),
        () -> {
          JsonNode b = client.get("/api/v1/batches/" + id).body();
          return List.of("SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED")
                  .contains(b.get("status").asText())
              ? b
              : null;
        });
  }

  /** Each shot's own video, decoded. */
  private static List<List<Thumbnail>> shotVideos(JsonNode batch, List<Integer> probed)
      throws Exception {
    List<List<Thumbnail>> shots = new ArrayList<>();
    for (JsonNode shot : batch.get("shots")) {
      Path file = tmp.resolve(shot.get("id").asText() + ".mp4");
      assertThat(
              client
                  .download("/api/v1/renders/" + shot.get("id").asText() + "/video", file)
                  .statusCode())
          .isEqualTo(200);
      probed.add(VideoProbe.probe(file).frames());
      shots.add(Thumbnails.of(file, 40));
    }
    return shots;
  }

  private static Path sequenceVideo(JsonNode batch) throws Exception {
    Path file = tmp.resolve(batch.get("id").asText() + "-sequence.mp4");
    var r = client.download("/api/v1/batches/" + batch.get("id").asText() + "/video", file);
    assertThat(r.statusCode()).isEqualTo(200);
    return file;
  }

  /** The thumbnail the plan says sequence frame {@code i} shows, from the shots' own videos. */
  private static Thumbnail planned(
      List<List<Thumbnail>> shots, List<Integer> starts, int d, int i) {
    for (int k = shots.size() - 1; k >= 0; k--) {
      if (i < starts.get(k)) continue;
      int f = i - starts.get(k);
      if (k > 0 && f < d) {
        double w = (f + 1) / (double) (d + 1);
        return Thumbnails.mix(shots.get(k - 1).get(i - starts.get(k - 1)), shots.get(k).get(f), w);
      }
      return shots.get(k).get(f);
    }
    throw new IllegalArgumentException("frame " + i);
  }

  private static double worstAgainstPlan(
      List<Thumbnail> sequence, List<List<Thumbnail>> shots, List<Integer> starts, int d) {
    return IntStream.range(0, sequence.size())
        .mapToDouble(i -> Thumbnails.meanAbsDiff(sequence.get(i), planned(shots, starts, d, i)))
        .max()
        .orElseThrow();
  }

  private static List<Integer> starts(JsonNode batch) {
    List<Integer> starts = new ArrayList<>();
    batch.get("sequence").get("shotStartFrames").forEach(n -> starts.add(n.asInt()));
    return starts;
  }

  @Test
  void aCutSequenceIsTheShotsFramesInOrderWithItsCutsWhereThePlanSays() throws Exception {
    assertThat(cut.get("status").asText()).as("%s", cut).isEqualTo("SUCCEEDED");
    List<Integer> shotFrames = new ArrayList<>();
    List<List<Thumbnail>> shots = shotVideos(cut, shotFrames);
    Path video = sequenceVideo(cut);
    int frames = VideoProbe.probe(video).frames();
    List<Thumbnail> sequence = Thumbnails.of(video, 40);
    List<Integer> starts = starts(cut);

    assertThat(frames).isEqualTo(shotFrames.stream().mapToInt(Integer::intValue).sum());
    assertThat(cut.get("sequence").get("frames").asInt()).isEqualTo(frames);
    assertThat(starts).containsExactly(0, shotFrames.get(0), shotFrames.get(0) + shotFrames.get(1));
    // The cuts, found in the decoded frames: each sequence frame is identified as the frame of
    // the shots' own videos it is nearest to (of all frames of all shots); a cut is where the
    // shot changes. (A frame-difference spike alone cannot find them here: the random-weight
    // fixture's frames inside a shot differ as much as two shots do; printed below.)
    int[] shotOf = new int[frames];
    int misplaced = 0;
    double margin = Double.MAX_VALUE;
    for (int i = 0; i < frames; i++) {
      double best = Double.MAX_VALUE;
      double[] bestPerShot = new double[shots.size()];
      int bestFrame = -1;
      for (int k = 0; k < shots.size(); k++) {
        bestPerShot[k] = Double.MAX_VALUE;
        for (int f = 0; f < shots.get(k).size(); f++) {
          double mad = Thumbnails.meanAbsDiff(sequence.get(i), shots.get(k).get(f));
          bestPerShot[k] = Math.min(bestPerShot[k], mad);
          if (mad < best) {
            best = mad;
            shotOf[i] = k;
            bestFrame = f;
          }
        }
      }
      // inside a shot, near-identical frames make the nearest one ambiguous: counted, not asserted
      // (the comparison with the plan below checks every frame at its place)
      if (bestFrame != i - starts.get(shotOf[i])) misplaced++;
      for (int k = 0; k < shots.size(); k++)
        if (k != shotOf[i]) margin = Math.min(margin, bestPerShot[k] - best);
    }
    List<Integer> cuts =
        IntStream.range(1, frames).filter(i -> shotOf[i] != shotOf[i - 1]).boxed().toList();
    double[] diff = new double[frames];
    for (int i = 1; i < frames; i++)
      diff[i] = Thumbnails.meanAbsDiff(sequence.get(i - 1), sequence.get(i));
    double withinShots =
        IntStream.range(1, frames)
            .filter(i -> !starts.contains(i))
            .mapToDouble(i -> diff[i])
            .max()
            .orElseThrow();
    double worst = worstAgainstPlan(sequence, shots, starts, 0);
    System.out.printf(
        "cut sequence: shots %s frames, sequence %d; cuts found at %s (plan %s); %d frames nearest"
            + " to another (near-identical) frame of their own shot; nearest other shot at least %.1f levels further than the"
            + " match; neighbour difference at the cuts %.1f and %.1f vs at most %.1f inside a"
            + " shot; worst frame vs its shot's own video %.2f levels%n",
        shotFrames,
        frames,
        cuts,
        starts.subList(1, 3),
        misplaced,
        margin,
        diff[starts.get(1)],
        diff[starts.get(2)],
        withinShots,
        worst);
    assertThat(cuts).isEqualTo(starts.subList(1, 3));
    assertThat(worst).isLessThan(SAME_PICTURE);
  }

  @Test
  void aDissolveSequenceMixesTheShotsOverHalfASecondAtEachTransition() throws Exception {
    assertThat(dissolve.get("status").asText()).as("%s", dissolve).isEqualTo("SUCCEEDED");
    List<Integer> shotFrames = new ArrayList<>();
    List<List<Thumbnail>> shots = shotVideos(dissolve, shotFrames);
    Path video = sequenceVideo(dissolve);
    int frames = VideoProbe.probe(video).frames();
    List<Thumbnail> sequence = Thumbnails.of(video, 40);
    List<Integer> starts = starts(dissolve);
    int d = dissolve.get("sequence").get("transitionFrames").asInt();

    assertThat(d).isEqualTo(15); // 0.5 s at 30 fps
    assertThat(frames).isEqualTo(shotFrames.stream().mapToInt(Integer::intValue).sum() - 2 * d);
    assertThat(starts)
        .containsExactly(0, shotFrames.get(0) - d, shotFrames.get(0) + shotFrames.get(1) - 2 * d);
    double worst = worstAgainstPlan(sequence, shots, starts, d);
    // the dissolve's middle frame is neither shot: it is far from both, close to their mix
    int mid = starts.get(1) + d / 2;
    double toOutgoing = Thumbnails.meanAbsDiff(sequence.get(mid), shots.get(0).get(mid));
    double toIncoming =
        Thumbnails.meanAbsDiff(sequence.get(mid), shots.get(1).get(mid - starts.get(1)));
    System.out.printf(
        "dissolve sequence: shots %s frames, sequence %d (%d-frame dissolves at %s); worst frame vs"
            + " the plan %.2f levels; mid-dissolve frame vs outgoing %.1f, incoming %.1f%n",
        shotFrames, frames, d, starts.subList(1, 3), worst, toOutgoing, toIncoming);
    assertThat(worst).isLessThan(SAME_PICTURE);
  }

  @Test
  void eachFinishedBatchSendsBatchCompletedOnceAndItsVideoHonoursRange() throws Exception {
    for (JsonNode batch : List.of(cut, dissolve)) {
      String id = batch.get("id").asText();
      String found =
          FarmClient.awaitValue(
              "batch.completed of " + id,
              Duration.ofSeconds(60),
              () -> webhooks.stream().filter(w -> w.contains(id)).findFirst().orElse(null));
      JsonNode event = FarmClient.JSON.readTree(found);
      assertThat(event.get("type").asText()).isEqualTo("batch.completed");
      assertThat(event.get("data").get("status").asText()).isEqualTo("SUCCEEDED");
      var part = client.getBytes("/api/v1/batches/" + id + "/video", Map.of("Range", "bytes=0-99"));
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.body()).hasSize(100);
    }
    assertThat(webhooks.stream().filter(w -> w.contains(cut.get("id").asText()))).hasSize(1);
  }
}
