package dev.reelfarm.e2e;

import static dev.reelfarm.e2e.FarmClient.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.schema.bundle.BundleChecksum;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A farm with two models (issue 16, acceptance 3): the default model {@code tiny-shapes} on one
 * worker and the BFCHW fixture (another native size, 6 frames per chunk) on a second one, started
 * with {@code LocalFarm.builder().workerBundle(…)}. Its own farm: the shared one has one model. A
 * request for each model, submitted together, renders on that model's worker only (read from the
 * chunk rows), planned with its bundle's facts; an unknown model is a 400 naming {@code model}.
 */
@Timeout(600)
class MultiModelFarmIT {
  private static final String DEFAULT_MODEL = "tiny-shapes";
  private static final String FIXTURE_MODEL = "tiny-random-bfchw";

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;

  @BeforeAll
  static void start() {
    Path root = RepoLayout.locate().root();
    farm =
        LocalFarm.builder()
            .dir(tmp.resolve("farm"))
            .useEnvironment(false)
            .workers(1)
            .workerThreads(1)
            .modelBundle(root.resolve(RepoLayout.DEFAULT_BUNDLE))
            .workerBundle(root.resolve("models/fixtures/" + FIXTURE_MODEL))
            .start();
    client = new FarmClient(farm);
    System.out.println("farm ready: " + farm.describeTimings());
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  void requestsForEachModelRenderOnItsWorkersOnlyAndAnUnknownModelIsRefused() throws Exception {
    JsonNode models =
        awaitValue(
            "both models with a live worker",
            Duration.ofSeconds(60),
            () -> {
              JsonNode items = client.get("/api/v1/models").body().get("items");
              return items.size() == 2
                      && items.findValues("liveWorkers").stream().allMatch(n -> n.asInt() == 1)
                  ? items
                  : null;
            });
    assertThat(models.get(0).get("name").asText()).isEqualTo(DEFAULT_MODEL);
    assertThat(models.get(0).get("isDefault").asBoolean()).isTrue();
    assertThat(models.get(1).get("name").asText()).isEqualTo(FIXTURE_MODEL);
    assertThat(models.get(1).get("framesPerChunk").asInt()).isEqualTo(6);
    assertThat(models.get(1).get("checksum").asText())
        .isEqualTo(
            BundleChecksum.of(
                RepoLayout.locate().root().resolve("models/fixtures/" + FIXTURE_MODEL)));
    Map<String, String> workerOf = workersByModel();
    assertThat(workerOf).containsOnlyKeys(DEFAULT_MODEL, FIXTURE_MODEL);

    long t0 = System.nanoTime();
    String onDefault =
        client.submit(
            "{\"prompt\":\"a red circle moving right on a blue background\",\"durationSeconds\":3,"
                + "\"seed\":11,\"steps\":3,\"mode\":\"sequential\"}");
    String onFixture =
        client.submit(
            "{\"prompt\":\"a red circle moving right on a blue background\",\"durationSeconds\":3,"
                + "\"seed\":11,\"steps\":3,\"mode\":\"independent\",\"model\":\""
                + FIXTURE_MODEL
                + "\"}");
    JsonNode a = client.awaitFinal(onDefault, Duration.ofSeconds(240));
    JsonNode b = client.awaitFinal(onFixture, Duration.ofSeconds(240));
    double seconds = (System.nanoTime() - t0) / 1e9;

    assertThat(a.get("status").asText()).as("%s", a).isEqualTo("SUCCEEDED");
    assertThat(b.get("status").asText()).as("%s", b).isEqualTo("SUCCEEDED");
    assertThat(a.get("model").asText()).isEqualTo(DEFAULT_MODEL);
    assertThat(b.get("model").asText()).isEqualTo(FIXTURE_MODEL);
    List<String[]> chunksA = chunks(onDefault);
    List<String[]> chunksB = chunks(onFixture);
    assertThat(chunksB).as("3 s at 8 fps in the fixture's chunks of 6").hasSize(4);
    assertThat(chunksA).extracting(c -> c[1]).containsOnly(workerOf.get(DEFAULT_MODEL));
    assertThat(chunksB).extracting(c -> c[1]).containsOnly(workerOf.get(FIXTURE_MODEL));
    assertThat(chunksA).extracting(c -> c[2]).as("frames per chunk").containsOnly("8");
    assertThat(chunksB).extracting(c -> c[2]).as("frames per chunk").containsOnly("6");
    System.out.printf(
        "MULTIMODEL two 3 s jobs, 3 steps: %.1f s (timings %s, %s); %s chunks on %s %s, %s"
            + " chunks on %s %s%n",
        seconds,
        a.get("timings"),
        b.get("timings"),
        chunksA.size(),
        workerOf.get(DEFAULT_MODEL),
        DEFAULT_MODEL,
        chunksB.size(),
        workerOf.get(FIXTURE_MODEL),
        FIXTURE_MODEL);

    var refused =
        client.post("/api/v1/renders", "{\"prompt\":\"a red circle\",\"model\":\"wan-14b\"}");
    assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
    assertThat(refused.body().get("field").asText()).isEqualTo("model");
    assertThat(refused.body().get("message").asText())
        .contains("unknown model 'wan-14b'", DEFAULT_MODEL, FIXTURE_MODEL);
  }

  /** The live worker of each model, from the worker rows. */
  private static Map<String, String> workersByModel() throws Exception {
    Map<String, String> workers = new HashMap<>();
    try (Connection c = client.db();
        var s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT model_name, id FROM worker")) {
      while (r.next()) workers.put(r.getString(1), r.getString(2));
    }
    return workers;
  }

  /** Per chunk of {@code job}: its index, the worker that rendered it, its frame count. */
  private static List<String[]> chunks(String job) throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT chunk_index, worker_id, cardinality(frames) FROM chunk"
                    + " WHERE job_id = ?::uuid ORDER BY chunk_index")) {
      s.setString(1, job);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) rows.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
      }
    }
    return rows;
  }
}
