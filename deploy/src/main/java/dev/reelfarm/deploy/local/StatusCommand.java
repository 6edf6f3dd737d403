package dev.reelfarm.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code reelfarm status [<id>]}: one job, or the newest jobs, of a running farm. */
final class StatusCommand implements CliCommand {

  static final String DEFAULT_API = "http://127.0.0.1:8080";

  private final PrintStream out;
  private final PrintStream err;

  StatusCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "show a job (or the newest jobs) of a running farm";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: reelfarm status [<id>] [--api URL] [--json] [--limit N]",
        "",
        "With an id, prints the job: status, progress, error and its chunks. Without, lists the",
        "newest jobs.",
        "",
        "options:",
        "  --api URL    the farm's API (default $REELFARM_API, else http://127.0.0.1:8080)",
        "  --json       print the API's JSON as it is",
        "  --limit N    how many jobs to list (default 10)",
        "",
        "exit codes: 0 found, 1 no such job, 2 bad arguments, 4 no farm answers",
        "");
  }

  @Override
  public int run(List<String> argv) throws Exception {
    Args args = Args.parse(name(), argv, Set.of("api", "limit"), Set.of("json"));
    if (args.positionals().size() > 1) {
      throw new Args.UsageException(name(), "expected at most one job id");
    }
    String env = System.getenv("REELFARM_API");
    var api =
        new FarmApi(
            URI.create(args.string("api", env != null && !env.isBlank() ? env : DEFAULT_API)));
    try {
      if (args.positionals().isEmpty()) {
        JsonNode page = api.jobs(args.integer("limit", 10));
        if (args.has("json")) out.println(page.toPrettyString());
        else printList(page);
        return 0;
      }
      JsonNode job = api.job(args.positionals().get(0));
      if (args.has("json")) out.println(job.toPrettyString());
      else printJob(job);
      return 0;
    } catch (FarmApi.ApiException e) {
      if (e.status() == 404 && !args.positionals().isEmpty()) {
        err.println("reelfarm status: no job " + args.positionals().get(0) + " at " + api.base());
        return 1;
      }
      if (e.status() == 400) {
        err.println("reelfarm status: " + e.describe());
        return ReelfarmCli.EXIT_USAGE;
      }
      err.println("reelfarm status: " + e.getMessage());
      return RenderCommand.EXIT_FARM_ERROR;
    } catch (ConnectException e) {
      err.println("reelfarm status: " + e.getMessage() + "; start one with ./reelfarm up");
      return RenderCommand.EXIT_FARM_ERROR;
    }
  }

  void printJob(JsonNode job) {
    out.println("job      " + text(job, "id"));
    out.println("status   " + text(job, "status") + "  " + ProgressLine.format(job));
    if (job.hasNonNull("prompt")) out.println("prompt   " + text(job, "prompt"));
    var what = new StringBuilder();
    if (job.hasNonNull("durationSeconds")) what.append(text(job, "durationSeconds")).append(" s ");
    if (job.hasNonNull("preset")) what.append(text(job, "preset")).append(' ');
    if (job.hasNonNull("mode")) what.append(text(job, "mode")).append(' ');
    if (job.hasNonNull("seed")) what.append("seed ").append(text(job, "seed"));
    if (what.length() > 0) out.println("clip     " + what.toString().strip());
    if (job.hasNonNull("error")) out.println("error    " + text(job, "error"));
    if (job.hasNonNull("timings")) out.println("timings  " + job.get("timings"));
    if (job.hasNonNull("links")) out.println("links    " + job.get("links"));
    JsonNode chunks = job.path("chunks");
    if (chunks.isArray() && chunks.size() > 0) {
      out.println(
          String.format(
              Locale.ROOT,
              "%6s  %-11s  %-10s  %7s  %-12s  %s",
              "chunk",
              "frames",
              "status",
              "attempt",
              "worker",
              "step"));
      for (JsonNode c : chunks) {
        String frames = c.hasNonNull("frames") ? text(c, "frames") : range(c);
        String step = c.hasNonNull("steps") ? text(c, "step") + "/" + text(c, "steps") : "";
        out.println(
            String.format(
                Locale.ROOT,
                "%6s  %-11s  %-10s  %7s  %-12s  %s",
                text(c, "index"),
                frames,
                text(c, "status"),
                text(c, "attempt"),
                text(c, "workerId"),
                step));
      }
    }
  }

  private void printList(JsonNode page) {
    JsonNode items = page.isArray() ? page : firstArray(page);
    if (items == null || items.isEmpty()) {
      out.println("no jobs");
      return;
    }
    for (JsonNode job : items) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-36s  %-9s  %4s%%  %s",
              text(job, "id"),
              text(job, "status"),
              job.path("progress").isNumber()
                  ? Math.round(job.get("progress").asDouble() * 100)
                  : "",
              abbreviate(text(job, "prompt"), 60)));
    }
  }

  private static JsonNode firstArray(JsonNode page) {
    for (String field : List.of("items", "renders", "jobs", "content", "data")) {
      if (page.path(field).isArray()) return page.get(field);
    }
    return null;
  }

  private static String range(JsonNode c) {
    if (c.hasNonNull("firstFrame") && c.hasNonNull("lastFrame")) {
      return text(c, "firstFrame") + "-" + text(c, "lastFrame");
    }
    if (c.hasNonNull("frameStart") && c.hasNonNull("frameEnd")) {
      return text(c, "frameStart") + "-" + text(c, "frameEnd");
    }
    return "";
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return "";
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
