package dev.reelfarm.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A minimal Server-Sent Events reader: reads events until a condition holds, then hangs up. */
final class SseClient {
  record Event(String id, String type, String data) {}

  /** Reads the stream at {@code uri} with the API key {@code key}. */
  static List<Event> read(
      URI uri, String key, String lastEventId, Predicate<Event> stopAfter, Duration timeout)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + key)
            .timeout(timeout);
    if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200)
      throw new IllegalStateException("SSE " + uri + " answered " + response.statusCode());
    List<Event> events = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      String id = null;
      String type = "message";
      StringBuilder data = new StringBuilder();
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          if (data.length() > 0) {
            Event e = new Event(id, type, data.toString());
            events.add(e);
            if (stopAfter.test(e)) return events;
          }
          id = null;
          type = "message";
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) data.append('\n');
          data.append(line.substring(5).stripLeading());
        }
      }
    }
    return events;
  }

  private SseClient() {}
}
