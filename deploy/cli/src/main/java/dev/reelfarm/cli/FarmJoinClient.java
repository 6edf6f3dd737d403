package dev.reelfarm.cli;

import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.api.FarmJoinInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code GET /api/v1/farm/join} of the orchestrator at {@code base}, with the join token. */
final class FarmJoinClient {

  /** As the orchestrator's JoinResource reads it. */
  static final String TOKEN_HEADER = "Reelfarm-Join-Token";

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  FarmJoinClient(URI base) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /**
   * @throws JoinRefusedException when the farm refuses the token (401) or joining (403)
   * @throws IOException when no orchestrator answers, or not as expected
   */
  FarmJoinInfo fetch(String token) throws IOException, InterruptedException, JoinRefusedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/farm/join"))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json")
            .GET();
    if (token != null && !token.isBlank()) request.header(TOKEN_HEADER, token.strip());
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      var unreachable = new ConnectException("no Reelfarm orchestrator answers at " + base);
      unreachable.initCause(e);
      throw unreachable;
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      String why = refusal(status, response.body());
      throw JoinRefusedException.byFarm(
          "the farm at " + base + " refused to let this join: " + why);
    }
    if (status != 200) throw new FarmApi.ApiException(status, response.body(), "GET " + base);
    return FarmApi.JSON.readValue(response.body(), FarmJoinInfo.class);
  }

  /** The ErrorBody's sentence (its field is always the token header: not repeated). */
  private static String refusal(int status, String body) {
    try {
      String message = FarmApi.JSON.readValue(body, ErrorBody.class).message();
      if (message != null) return message;
    } catch (IOException | RuntimeException e) {
      // not an error body: the raw answer below
    }
    return new FarmApi.ApiException(status, body, "join").describe();
  }
}
