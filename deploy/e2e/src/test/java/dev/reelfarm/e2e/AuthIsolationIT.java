package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.launcher.LocalFarm;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teams on one farm, through the real HTTP routes of a running orchestrator: every route × {own
 * job, another team's job, no key, a bad key, a revoked key, a key without the route's scope}
 * answers the right status; the farm-wide stream carries the caller's team only; a key over its
 * submission rate gets 429 and creates no job; no key is stored or logged in plaintext.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthIsolationIT {
  // alpha's key submits in the setup and on every submitting route of the table, within one burst
  private static final int BURST = 6;
  private static final String JOB =
      "{\"prompt\":\"a red circle moving right\",\"durationSeconds\":1,\"steps\":2,\"seed\":3}";
  private static final String BATCH = "{\"shots\":[" + JOB + "],\"deliver\":\"sequence\"}";

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient admin;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final Map<String, String> keys = new LinkedHashMap<>();
  static String alphaJob;
  static String betaJob;
  static String alphaBatch;

  @BeforeAll
  static void start() throws Exception {
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            .workers(1)
            .startupTimeout(Duration.ofMinutes(5))
            .orchestratorProperty("reelfarm.auth.submit-burst", Integer.toString(BURST))
            .orchestratorProperty("reelfarm.auth.submit-per-minute", "1")
            .workerProperty("reelfarm.worker.preview-ms", "0")
            .start();
    admin = new FarmClient(farm);
    keys.put("admin", farm.adminKey());
    for (String team : List.of("alpha", "beta")) {
      assertThat(admin.post("/api/v1/teams", "{\"name\":\"" + team + "\"}").status())
          .isEqualTo(201);
      keys.put(team, key(team, "[\"submit\",\"read\",\"cancel\"]"));
    }
    keys.put("alpha-read", key("alpha", "[\"read\"]"));
    keys.put("alpha-submit", key("alpha", "[\"submit\"]"));
    keys.put("alpha-rate", key("alpha", "[\"submit\",\"read\"]"));
    keys.put("alpha-batch", key("alpha", "[\"submit\",\"read\"]"));
    keys.put("revoked", key("alpha", "[\"submit\",\"read\",\"cancel\"]"));
    assertThat(admin.as(keys.get("revoked")).get("/api/v1/me").status()).isEqualTo(200);
    JsonNode revokedKey =
        admin.get("/api/v1/teams/alpha/keys").body().findParents("name").stream()
            .filter(k -> k.get("prefix").asText().equals(keys.get("revoked").substring(0, 11)))
            .findFirst()
            .orElseThrow();
    assertThat(admin.delete("/api/v1/keys/" + revokedKey.get("id").asText()).status())
        .isEqualTo(200);

    alphaJob = admin.as(keys.get("alpha")).submit(JOB);
    betaJob = admin.as(keys.get("beta")).submit(JOB);
    var batch = admin.as(keys.get("alpha-batch")).post("/api/v1/batches", BATCH);
    assertThat(batch.status()).as("%s", batch.body()).isEqualTo(202);
    alphaBatch = batch.body().get("id").asText();
    for (String job : List.of(alphaJob, betaJob))
      assertThat(admin.awaitFinal(job, Duration.ofSeconds(240)).get("status").asText())
          .isEqualTo("SUCCEEDED");
    assertThat(
            FarmClient.awaitValue(
                "batch " + alphaBatch,
                Duration.ofSeconds(240),
                () -> {
                  String s =
                      admin.get("/api/v1/batches/" + alphaBatch).body().get("status").asText();
                  return s.equals("SUCCEEDED") || s.equals("FAILED") ? s : null;
                }))
        .isEqualTo("SUCCEEDED");
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  private static String key(String team, String scopes) throws Exception {
    var r =
        admin.post(
            "/api/v1/teams/" + team + "/keys", "{\"name\":\"it\",\"scopes\":" + scopes + "}");
    assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
    return r.body().get("key").asText();
  }

  /**
   * One route: its method and path ({@code {id}}: a job of the caller's own team, {@code {batch}}:
   * a batch of it), its scope.
   */
  record Route(String method, String path, String scope, int ownStatus, boolean perJob) {}

  static final List<Route> ROUTES =
      List.of(
          new Route("GET", "/api/v1/renders/{id}", "read", 200, true),
          new Route("GET", "/api/v1/renders/{id}/events", "read", 200, true),
          new Route("GET", "/api/v1/renders/{id}/video", "read", 200, true),
          new Route("GET", "/api/v1/renders/{id}/poster.jpg", "read", 200, true),
          new Route("GET", "/api/v1/renders/{id}/chunks/0/preview.png", "read", 200, true),
          new Route("GET", "/api/v1/renders/{id}/webhooks", "read", 200, true),
          // the job is a finished 1 s sequential render: it has no storyboard and waits for none
          new Route("GET", "/api/v1/renders/{id}/storyboard", "read", 409, true),
          new Route("GET", "/api/v1/renders/{id}/storyboard/0.png", "read", 409, true),
          new Route("POST", "/api/v1/renders/{id}/approve", "submit", 409, true),
          new Route("POST", "/api/v1/renders/{id}/reject", "submit", 409, true),
          new Route("POST", "/api/v1/renders/{id}/feedback", "submit", 201, true),
          new Route("GET", "/api/v1/renders/{id}/feedback", "read", 200, true),
          new Route("DELETE", "/api/v1/renders/{id}", "cancel", 200, true),
          new Route("GET", "/api/v1/renders", "read", 200, false),
          new Route("GET", "/api/v1/batches/{batch}", "read", 200, true),
          new Route("GET", "/api/v1/batches/{batch}/video", "read", 200, true),
          new Route("DELETE", "/api/v1/batches/{batch}", "cancel", 200, true),
          new Route("GET", "/api/v1/batches", "read", 200, false),
          new Route("POST", "/api/v1/batches", "submit", 202, false),
          new Route("POST", "/api/v1/renders", "submit", 202, false),
          new Route("GET", "/api/v1/events?after=0", "read", 200, false),
          new Route("GET", "/api/v1/workers", "read", 200, false),
          new Route("GET", "/api/v1/models", "read", 200, false),
          new Route("GET", "/api/v1/webhooks", "read", 200, false),
          new Route("GET", "/api/v1/feedback", "read", 200, false),
          new Route("POST", "/api/v1/webhooks", "submit", 201, false),
          new Route("GET", "/api/v1/me", "read", 200, false),
          new Route("POST", "/api/v1/me/access-token", "read", 200, false),
          new Route("GET", "/api/v1/teams", "admin", 200, false),
          new Route("POST", "/api/v1/teams", "admin", 201, false),
          new Route("GET", "/api/v1/teams/alpha", "admin", 200, false),
          new Route("PATCH", "/api/v1/teams/alpha", "admin", 200, false),
          // perJob: beta's key asks for alpha's usage, which answers 404 like another's job
          new Route("GET", "/api/v1/teams/alpha/usage", "read", 200, true),
          new Route("GET", "/api/v1/teams/usage", "admin", 200, false),
          new Route("GET", "/api/v1/teams/alpha/keys", "admin", 200, false),
          new Route("GET", "/api/v1/teams/alpha/prompt-policy", "admin", 200, false),
          new Route("PUT", "/api/v1/teams/alpha/prompt-policy", "admin", 200, false),
          new Route("POST", "/api/v1/teams/alpha/keys", "admin", 201, false),
          new Route("GET", "/api/v1/audit", "admin", 200, false),
          new Route("GET", "/api/v1/dead-letters", "admin", 200, false),
          // queue control, last: the re-render reopens the job. A finished job's priority: 409.
          new Route("PATCH", "/api/v1/renders/{id}", "submit", 409, true),
          new Route("POST", "/api/v1/renders/{id}/retry", "submit", 202, true),
          new Route("POST", "/api/v1/renders/{id}/chunks/0/rerender", "submit", 202, true));

  @Test
  @Order(1)
  void everyRouteAnswersTheRightStatusForEveryKindOfCaller() throws Exception {
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    int teamSeq = 0;
    for (Route route : ROUTES) {
      boolean adminRoute = route.scope().equals("admin");
      String ownKey = adminRoute ? keys.get("admin") : keys.get("alpha");
      // a key of the right team without the route's scope
      String wrongScope =
          adminRoute
              ? keys.get("alpha")
              : route.scope().equals("read") ? keys.get("alpha-submit") : keys.get("alpha-read");
      Map<String, Object[]> cases = new LinkedHashMap<>();
      cases.put("own job", new Object[] {ownKey, route.ownStatus()});
      if (route.perJob()) cases.put("other team's job", new Object[] {keys.get("beta"), 404});
      cases.put("no key", new Object[] {null, 401});
      cases.put("bad key", new Object[] {"rf_" + "x".repeat(43), 401});
      cases.put("revoked key", new Object[] {keys.get("revoked"), 401});
      cases.put("wrong scope", new Object[] {wrongScope, 403});
      for (var c : cases.entrySet()) {
        String body = requestBody(route, teamSeq++);
        int status =
            status(
                route.method(),
                route.path().replace("{id}", alphaJob).replace("{batch}", alphaBatch),
                (String) c.getValue()[0],
                body);
        cells++;
        if (status != (int) c.getValue()[1])
          wrong.add(
              route.method()
                  + " "
                  + route.path()
                  + " × "
                  + c.getKey()
                  + ": "
                  + status
                  + ", expected "
                  + c.getValue()[1]);
      }
    }
    System.out.printf("isolation table: %d routes, %d cells%n", ROUTES.size(), cells);
    assertThat(wrong).as("cells with the wrong status of %d", cells).isEmpty();
  }

  /** A valid body for a route that takes one (a fresh team name each time), else null. */
  private static String requestBody(Route route, int teamSeq) {
    String path = route.path();
    return switch (route.method()) {
      case "PUT" -> "{\"rules\":[]}";
      case "PATCH" -> path.startsWith("/api/v1/renders/") ? "{\"priority\":5}" : "{\"weight\":2}";
      case "POST" -> {
        if (path.equals("/api/v1/renders")) yield JOB;
        if (path.equals("/api/v1/batches")) yield BATCH;
        if (path.equals("/api/v1/teams")) yield "{\"name\":\"t" + teamSeq + "\"}";
        if (path.endsWith("/keys")) yield "{\"name\":\"k\"}";
        if (path.equals("/api/v1/webhooks"))
          yield "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"render.succeeded\"]}";
        if (path.endsWith("/feedback")) yield "{\"rating\":4}";
        if (path.endsWith("/reject")) yield "{\"action\":\"cancel\"}";
        yield null;
      }
      default -> null;
    };
  }

  @Test
  @Order(2)
  void listingsAndTheFarmStreamShowOnlyTheCallersTeamWhileAdminsSeeEveryTeam() throws Exception {
    JsonNode alphaList = admin.as(keys.get("alpha")).get("/api/v1/renders?limit=200").body();
    assertThat(alphaList.get("items").findValuesAsText("id"))
        .contains(alphaJob)
        .doesNotContain(betaJob);
    JsonNode all = admin.get("/api/v1/renders?limit=200").body();
    assertThat(all.get("items").findValuesAsText("id")).contains(alphaJob, betaJob);

    List<SseClient.Event> betaStream =
        SseClient.read(
            farm.apiBase().resolve("/api/v1/events?after=0"),
            keys.get("beta"),
            null,
            e -> e.type().equals("succeeded"),
            Duration.ofSeconds(30));
    assertThat(betaStream).isNotEmpty().allMatch(e -> e.data().contains(betaJob));
  }

  @Test
  @Order(3)
  void aKeyOverItsSubmissionRateGets429WithRetryAfterAndNoJob() throws Exception {
    FarmClient rated = admin.as(keys.get("alpha-rate"));
    for (int i = 0; i < BURST; i++)
      assertThat(rated.post("/api/v1/renders", JOB).status()).isEqualTo(202);
    long jobsBefore = admin.count("SELECT count(*) FROM render_job");
    FarmClient.Reply refused = rated.post("/api/v1/renders", JOB);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.raw().headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    assertThat(refused.body().get("message").asText())
        .contains("submissions per minute per API key");
    assertThat(admin.count("SELECT count(*) FROM render_job")).isEqualTo(jobsBefore);
    // another key of the same team has its own bucket
    assertThat(admin.as(keys.get("beta")).post("/api/v1/renders", JOB).status()).isEqualTo(202);
  }

  @Test
  @Order(4)
  void noKeyIsStoredOrLoggedInPlaintext() throws Exception {
    List<String> found = new ArrayList<>();
    int columns = 0;
    try (Connection c = admin.db();
        ResultSet cols =
            c.createStatement()
                .executeQuery(
                    "SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = 'public' AND data_type IN"
                        + " ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'bytea')")) {
      List<String[]> all = new ArrayList<>();
      while (cols.next()) all.add(new String[] {cols.getString(1), cols.getString(2)});
      for (String[] col : all) {
        columns++;
        for (var key : keys.entrySet()) {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT count(*) FROM \""
                      + col[0]
                      + "\" WHERE position(? in \""
                      + col[1]
                      + "\"::text) > 0")) {
            s.setString(1, key.getValue());
            try (ResultSet r = s.executeQuery()) {
              r.next();
              if (r.getLong(1) > 0) found.add(key.getKey() + " in " + col[0] + "." + col[1]);
            }
          }
        }
      }
    }
    int logs = 0;
    try (Stream<Path> files = Files.walk(farm.logsDir())) {
      for (Path log : files.filter(Files::isRegularFile).toList()) {
        logs++;
        String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (var key : keys.entrySet())
          if (text.contains(key.getValue())) found.add(key.getKey() + " in " + log.getFileName());
      }
    }
    System.out.printf(
        "plaintext scan: %d keys × %d text columns and %d log files%n", keys.size(), columns, logs);
    assertThat(columns).isPositive();
    assertThat(logs).isPositive();
    assertThat(found).isEmpty();
  }

  /** The status of one request; a stream's body is not read (the farm stream never ends). */
  private static int status(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(farm.apiBase() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    if (key != null) b.header("Authorization", "Bearer " + key);
    HttpResponse<InputStream> r =
        HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
            .get(30, TimeUnit.SECONDS);
    r.body().close();
    return r.statusCode();
  }
}
