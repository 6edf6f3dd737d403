package dev.reelfarm.e2e.netns;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code GET <url>} from a host of {@link NetnsHosts}: prints the body, or FAILED: why. */
public final class NetnsGet {
  public static void main(String[] args) {
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(3)).build();
      System.out.println(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    } catch (Exception e) {
      System.out.println("FAILED: " + e);
    }
  }

  private NetnsGet() {}
}
