package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.cli.ReelfarmCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ratings and the prompt policy through the real HTTP routes of the shared farm: a refused prompt
 * is a 422 naming its rule, counted in /q/metrics and audited, and stores no job; a finished render
 * is rated (400 naming the field, 404 across teams, 409 without a video), and {@code reelfarm
 * feedback export} writes it as a dataset line.
 */
@Timeout(600)
class FeedbackAndPromptPolicyIT {
  private static final String RULE = "purple-elephants";
  @TempDir static Path tmp;
  static FarmClient admin;
  static FarmClient alpha;
  static FarmClient beta;
  static String teamAlpha;

  @BeforeAll
  static void teams() throws Exception {
    admin = SharedFarm.client();
    String run = UUID.randomUUID().toString().substring(0, 8);
    teamAlpha = "fb-alpha-" + run;
    alpha = admin.as(key(teamAlpha));
    beta = admin.as(key("fb-beta-" + run));
  }

  private static String key(String team) throws Exception {
    assertThat(admin.post("/api/v1/teams", "{\"name\":\"" + team + "\"}").status()).isEqualTo(201);
    var r =
        admin.post(
            "/api/v1/teams/" + team + "/keys",
            "{\"name\":\"it\",\"scopes\":[\"submit\",\"read\",\"cancel\"]}");
    assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
    return r.body().get("key").asText();
  }

  private static String job(String prompt) {
    return "{\"prompt\":\"" + prompt + "\",\"durationSeconds\":1,\"steps\":2,\"seed\":11}";
  }

  private static double refusedCount(String rule) throws Exception {
    var r = admin.getBytes("/q/metrics", Map.of("Accept", "text/plain; version=0.0.4"));
    var e = Exposition.parse(new String(r.body(), StandardCharsets.UTF_8));
    double v = e.value("reelfarm_prompts_refused_total{rule=\"" + rule + "\"}");
    return Double.isNaN(v) ? 0 : v;
  }

  @Test
  void aRefusedPromptIs422NamingItsRuleCountedAuditedAndNeverAJob() throws Exception {
    String policyPath = "/api/v1/teams/" + teamAlpha + "/prompt-policy";
    assertThat(
            fieldOf(
                admin.put(
                    policyPath,
                    "{\"rules\":[{\"id\":\"x\",\"patterns\":[\"(\"],\"message\":\"m\"}]}")))
        .isEqualTo("rules[0].patterns[0]");
    var replaced =
        admin.put(
            policyPath,
            "{\"rules\":[{\"id\":\""
                + RULE
                + "\",\"patterns\":[\"purple\\\\s+elephants?\"],"
                + "\"message\":\"no purple elephants on this team\"}]}");
    assertThat(replaced.status()).as("%s", replaced.body()).isEqualTo(200);
    JsonNode policy = replaced.body();
    assertThat(admin.get(policyPath).body()).isEqualTo(policy);
    assertThat(policy.get("teamRulesSource").asText()).isEqualTo("api");
    assertThat(policy.get("farmRules").findValuesAsText("id")).contains("terrorist-propaganda");
    double before = refusedCount(RULE);

    String prompt = "A  PURPLE   Elephant dancing";
    var refused = alpha.post("/api/v1/renders", job(prompt));

    assertThat(refused.status()).as("%s", refused.body()).isEqualTo(422);
    assertThat(refused.body().get("error").asText()).isEqualTo("prompt_refused");
    assertThat(refused.body().get("field").asText()).isEqualTo("prompt");
    assertThat(refused.body().get("rule").asText()).isEqualTo(RULE);
    assertThat(refused.body().get("message").asText()).contains("no purple elephants");
    assertThat(admin.count("SELECT count(*) FROM render_job WHERE prompt = '" + prompt + "'"))
        .isZero();
    assertThat(refusedCount(RULE)).isEqualTo(before + 1);
    JsonNode audit = admin.get("/api/v1/audit?limit=50").body();
    assertThat(audit.get("items").findParents("action"))
        .anySatisfy(
            a -> {
              assertThat(a.get("action").asText()).isEqualTo("prompt.refused");
              assertThat(a.get("targetId").asText()).isEqualTo(RULE);
            });

    var farmRule = beta.post("/api/v1/renders", job("a Terrorist  Recruitment video"));
    assertThat(farmRule.status()).isEqualTo(422);
    assertThat(farmRule.body().get("rule").asText()).isEqualTo("terrorist-propaganda");

    // A batch is refused whole when one of its shots is: no batch, no shot's job.
    long batches = admin.count("SELECT count(*) FROM render_batch");
    var batch =
        alpha.post(
            "/api/v1/batches",
            "{\"defaults\":{\"durationSeconds\":1,\"steps\":2},\"shots\":[{\"prompt\":\"a red"
                + " circle\"},{\"prompt\":\""
                + prompt
                + "\"}]}");
    assertThat(batch.status()).as("%s", batch.body()).isEqualTo(422);
    assertThat(batch.body().get("field").asText()).isEqualTo("shots[1].prompt");
    assertThat(batch.body().get("rule").asText()).isEqualTo(RULE);
    assertThat(admin.count("SELECT count(*) FROM render_batch")).isEqualTo(batches);
    assertThat(admin.count("SELECT count(*) FROM render_job WHERE prompt = '" + prompt + "'"))
        .isZero();

    // Another team's policy is not beta's: the same prompt is queued (and cancelled at once).
    var accepted = beta.post("/api/v1/renders", job(prompt));
    assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
    beta.delete("/api/v1/renders/" + accepted.body().get("id").asText());
  }

  @Test
  void aFinishedRenderIsRatedOncePerKeyAndExportedAsADatasetLine() throws Exception {
    String id = alpha.submit(job("a red circle moving right, rated"));
    assertThat(alpha.awaitFinal(id, Duration.ofSeconds(240)).get("status").asText())
        .isEqualTo("SUCCEEDED");
    String feedback = "/api/v1/renders/" + id + "/feedback";

    var first =
        alpha.post(feedback, "{\"rating\":2,\"tags\":[\"visible-seams\"],\"comment\":\"jumps\"}");
    var second =
        alpha.post(
            feedback,
            "{\"rating\":5,\"tags\":[\"matches-prompt\",\"great\"],\"comment\":\"  smooth \"}");

    assertThat(first.status()).as("%s", first.body()).isEqualTo(201);
    assertThat(second.status()).as("replaced: %s", second.body()).isEqualTo(200);
    assertThat(second.body().get("id")).isEqualTo(first.body().get("id"));
    JsonNode list = alpha.get(feedback).body().get("items");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("rating").asInt()).isEqualTo(5);
    assertThat(list.get(0).get("comment").asText()).isEqualTo("smooth");

    assertThat(fieldOf(alpha.post(feedback, "{\"rating\":0}"))).isEqualTo("rating");
    assertThat(fieldOf(alpha.post(feedback, "{\"rating\":3,\"tags\":[\"Bad Tag\"]}")))
        .isEqualTo("tags[0]");
    assertThat(fieldOf(alpha.post(feedback, "{\"rating\":3,\"stars\":3}"))).isEqualTo("stars");
    assertThat(
            fieldOf(
                alpha.post(feedback, "{\"rating\":3,\"comment\":\"" + "x".repeat(2001) + "\"}")))
        .isEqualTo("comment");
    assertThat(fieldOf(alpha.post("/api/v1/renders/nope/feedback", "{\"rating\":3}")))
        .isEqualTo("id");
    assertThat(beta.post(feedback, "{\"rating\":1}").status()).isEqualTo(404);
    assertThat(beta.get(feedback).status()).isEqualTo(404);

    String cancelled = alpha.submit(job("a blue square, cancelled before its video"));
    alpha.delete("/api/v1/renders/" + cancelled);
    assertThat(alpha.awaitFinal(cancelled, Duration.ofSeconds(60)).get("status").asText())
        .isEqualTo("CANCELLED");
    var early = alpha.post("/api/v1/renders/" + cancelled + "/feedback", "{\"rating\":3}");
    assertThat(early.status()).as("%s", early.body()).isEqualTo(409);
    assertThat(early.body().get("error").asText()).isEqualTo("not_ready");

    JsonNode ours = alpha.get("/api/v1/feedback?minRating=5").body().get("items");
    assertThat(ours.findValuesAsText("renderId")).containsExactly(id);
    assertThat(beta.get("/api/v1/feedback").body().get("items").findValuesAsText("renderId"))
        .doesNotContain(id);
    assertThat(fieldOf(alpha.get("/api/v1/feedback?since=yesterday"))).isEqualTo("since");

    Path out = tmp.resolve("feedback.jsonl");
    var err = new ByteArrayOutputStream();
    int code =
        ReelfarmCli.run(
            List.of(
                "feedback",
                "export",
                "--api",
                SharedFarm.farm().apiBase().toString(),
                "--dir",
                SharedFarm.farm().dir().toString(),
                "--min-rating",
                "5",
                "--out",
                out.toString()),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as("%s", err.toString(StandardCharsets.UTF_8)).isZero();
    List<JsonNode> lines =
        Files.readAllLines(out).stream().map(FeedbackAndPromptPolicyIT::json).toList();
    assertThat(lines).allSatisfy(l -> assertThat(l.get("rating").asInt()).isEqualTo(5));
    JsonNode line =
        lines.stream().filter(l -> l.get("renderId").asText().equals(id)).findFirst().orElseThrow();
    assertThat(line.get("team").asText()).isEqualTo(teamAlpha);
    assertThat(line.get("prompt").asText()).isEqualTo("a red circle moving right, rated");
    assertThat(line.get("seed").asLong()).isEqualTo(11);
    assertThat(line.get("parameters").get("steps").asInt()).isEqualTo(2);
    assertThat(line.get("model").get("name").asText()).isNotBlank();
    assertThat(line.get("model").get("checksum").asText()).startsWith("sha256:");
    assertThat(line.get("tags").toString()).isEqualTo("[\"matches-prompt\",\"great\"]");
    assertThat(line.get("video").get("path").asText())
        .isEqualTo("/api/v1/renders/" + id + "/video");
    assertThat(line.get("video").get("uri").asText()).isNotBlank();
    System.out.printf(
        "feedback export: %d lines, %s%n",
        lines.size(), err.toString(StandardCharsets.UTF_8).strip());
  }

  private static String fieldOf(FarmClient.Reply reply) {
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
    return reply.body().get("field").asText();
  }

  private static JsonNode json(String line) {
    try {
      return FarmClient.JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
