package dev.reelfarm.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Decides whether a started process is ready. Polled by {@link ServiceProcess#awaitReady} until it
 * returns true, the process exits, or the timeout passes; an exception counts as "not yet".
 */
@FunctionalInterface
public interface ReadinessCheck {

  boolean isReady(ServiceProcess process) throws Exception;

  /**
   * Ready once the process's log contains a line with {@code needle}, written by this run (a
   * restarted service appends to the log of its earlier runs). Reads only new bytes.
   */
  static ReadinessCheck logLine(String needle) {
    return new ReadinessCheck() {
      private long offset;
      private String carry = "";

      @Override
      public boolean isReady(ServiceProcess process) throws IOException {
        var file = process.logFile();
        if (!Files.exists(file)) return false;
        try (var raf = new RandomAccessFile(file.toFile(), "r")) {
          long length = raf.length();
          if (length < offset) offset = 0; // truncated: start over
          offset = Math.max(offset, process.logStart());
          if (length <= offset) return false;
          byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
          raf.seek(offset);
          raf.readFully(bytes);
          offset += bytes.length;
          String text = carry + new String(bytes, StandardCharsets.UTF_8);
          if (text.contains(needle)) return true;
          // Keep a partial last line so a needle split across two reads is still found.
          int lastNewline = text.lastIndexOf('\n');
          carry = lastNewline < 0 ? text : text.substring(lastNewline + 1);
          return false;
        }
      }

      @Override
      public String toString() {
        return "log line containing '" + needle + "'";
      }
    };
  }

  /** Ready once {@code GET uri} answers 200. */
  static ReadinessCheck httpOk(URI uri) {
    var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
    return new ReadinessCheck() {
      @Override
      public boolean isReady(ServiceProcess process) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      }

      @Override
      public String toString() {
        return "HTTP 200 from " + uri;
      }
    };
  }
}
