package dev.reelfarm.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.encoder.media.VideoProbe;
import dev.reelfarm.encoder.stitching.SeamMetric;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code reelfarm seams <id>}: how visible a finished job's chunk seams are, measured on its MP4
 * with {@link SeamMetric} at the chunk boundaries its plan reports.
 */
public final class SeamsCommand implements CliCommand {
  private static final String DEFAULT_API = "http://127.0.0.1:8080";
  private static final int DOWNSAMPLE = 8;
  private final PrintStream out;

  SeamsCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public String name() {
    return "seams";
  }

  @Override
  public String summary() {
    return "measure how visible a finished job's chunk seams are (1.0 = invisible)";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: reelfarm seams <job id> [--api URL] [--json]",
        "",
        "Downloads the job's MP4, decodes it and reports the seam ratio (mean frame-to-frame change",
        "across chunk boundaries over the median change inside chunks; 1.0 = invisible) and flicker",
        "(mean second difference over mean first difference).",
        "",
        "options:",
        "  --api URL    the farm's API (default $REELFARM_API, else " + DEFAULT_API + ")",
        "  --json       one JSON line instead of text",
        "");
  }

  @Override
  public int run(List<String> argv) throws Exception {
    Args args = Args.parse(name(), argv, Set.of("api"), Set.of("json"));
    if (args.positionals().size() != 1) throw new Args.UsageException(name(), "expected one job id");
    String env = System.getenv("REELFARM_API");
    FarmApi api = new FarmApi(URI.create(args.string("api", env != null && !env.isBlank() ? env : DEFAULT_API)));
    String id = args.positionals().get(0);
    JsonNode job = api.job(id);
    if (!job.path("status").asText().equals("SUCCEEDED")) {
      throw new Args.UsageException(name(), "job " + id + " is " + job.path("status").asText() + "; seams need a finished clip");
    }
    Path mp4 = Files.createTempFile("reelfarm-seams-", ".mp4");
    try {
      api.downloadVideo(id, mp4);
      SeamMetric.Result r = measure(job, mp4);
      if (args.has("json")) {
        out.printf("{\"id\":\"%s\",\"mode\":\"%s\",\"seamRatio\":%.4f,\"flicker\":%.4f,\"boundaries\":%d}%n",
            id, job.get("mode").asText(), r.seamRatio(), r.flicker(), r.boundaryChanges().size());
      } else {
        out.printf("job %s (%s, %d chunks)%n", id, job.get("mode").asText(), job.get("chunks").size());
        out.printf("seam ratio %.3f (1.0 = invisible) over %d boundaries; flicker %.3f; median in-chunk change %.2f%n",
            r.seamRatio(), r.boundaryChanges().size(), r.flicker(), r.medianInsideChange());
      }
      return 0;
    } finally {
      Files.deleteIfExists(mp4);
    }
  }

  /**
   * The seam metric of a finished job's MP4, at the chunk boundaries of its plan.
   *
   * @param job the job as {@code GET /api/v1/renders/{id}} returns it
   */
  public static SeamMetric.Result measure(JsonNode job, Path mp4) throws java.io.IOException {
    List<Integer> boundaries = new ArrayList<>();
    for (JsonNode chunk : job.get("chunks")) {
      int start = chunk.get("ownedStart").asInt();
      if (chunk.get("ownedEnd").asInt() > start && start > 0) boundaries.add(start);
    }
    List<byte[]> luma = new ArrayList<>();
    VideoProbe.decodeFrames(mp4, (index, width, height, rgb) -> luma.add(SeamMetric.luma(rgb, width, height, DOWNSAMPLE)));
    int outputFps = (int) Math.round(luma.size() / job.get("durationSeconds").asDouble());
    return SeamMetric.measure(luma, boundaries, job.get("nativeFps").asInt(), outputFps);
  }
}
