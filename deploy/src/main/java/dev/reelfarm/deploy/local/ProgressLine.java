package dev.reelfarm.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of render progress from a job's JSON ({@code GET /api/v1/renders/{id}}):
 *
 * <pre>[#########...........] 42% chunks 2/5 · chunk 3 step 12/25 · ETA 6s</pre>
 *
 * <p>Chunks are shown 1-based when the API numbers them from 0, so "chunk 3" is the third.
 */
final class ProgressLine {

  static final int BAR_WIDTH = 20;

  static String format(JsonNode job) {
    String status = text(job, "status", "?");
    List<JsonNode> chunks = new ArrayList<>();
    JsonNode array = job.get("chunks");
    if (array != null && array.isArray()) array.forEach(chunks::add);
    int base = chunks.stream().mapToInt(c -> c.path("index").asInt(0)).min().orElse(0) == 0 ? 1 : 0;
    long done = chunks.stream().filter(c -> "DONE".equals(text(c, "status", ""))).count();

    double progress;
    JsonNode p = job.get("progress");
    if (p != null && p.isNumber()) progress = p.asDouble();
    else progress = chunks.isEmpty() ? 0 : (double) done / chunks.size();
    if ("SUCCEEDED".equals(status)) progress = 1;
    progress = Math.max(0, Math.min(1, progress));

    var sb = new StringBuilder();
    int filled = (int) Math.round(progress * BAR_WIDTH);
    sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
    sb.append(String.format(Locale.ROOT, "%3d%%", Math.round(progress * 100)));
    if (!chunks.isEmpty()) sb.append(" chunks ").append(done).append('/').append(chunks.size());

    switch (status) {
      case "QUEUED" -> sb.append(" · queued");
      case "ENCODING" -> sb.append(" · encoding");
      case "RUNNING" -> {
        List<JsonNode> running =
            chunks.stream().filter(c -> "RUNNING".equals(text(c, "status", ""))).toList();
        if (!running.isEmpty()) {
          JsonNode c = running.get(0);
          sb.append(" · chunk ").append(c.path("index").asInt() + base);
          if (c.hasNonNull("step") && c.hasNonNull("steps")) {
            sb.append(" step ")
                .append(c.get("step").asInt())
                .append('/')
                .append(c.get("steps").asInt());
          }
          if (c.path("attempt").asInt(1) > 1)
            sb.append(" attempt ").append(c.get("attempt").asInt());
          if (running.size() > 1) sb.append(" (+").append(running.size() - 1).append(" running)");
        }
      }
      default -> sb.append(" · ").append(status.toLowerCase(Locale.ROOT));
    }
    JsonNode eta = job.get("etaSeconds");
    if (eta != null && eta.isNumber() && !"SUCCEEDED".equals(status)) {
      sb.append(" · ETA ").append(eta(eta.asDouble()));
    }
    return sb.toString();
  }

  static String eta(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + "s";
    if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private static String text(JsonNode node, String field, String defaultValue) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? defaultValue : v.asText();
  }

  private ProgressLine() {}
}
