package dev.reelfarm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.launcher.ServiceStatus;
import dev.reelfarm.schema.api.RenderPage;
import dev.reelfarm.schema.api.RenderView;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reelfarm status [<id>]}: one job, or the newest jobs, of a running farm. */
@Command(
    name = "status",
    synopsisHeading = "usage: ",
    sortOptions = false,
    customSynopsis = "reelfarm status [<id>] [--api URL] [--json] [--limit N] [--dir DIR]",
    header = "show a job (or the newest jobs) of a running farm",
    descriptionHeading = "%n",
    description = {
      "With an id, prints the job: status, progress, error and its chunks. Without, lists the",
      "newest jobs, after the processes of the local farm that ./reelfarm up supervises from",
      "--dir (pid, state, restarts, last exit), when one runs there."
    },
    optionListHeading = "%noptions:%n",
    exitCodeListHeading = "%nexit codes:%n",
    exitCodeList = {"0:found", "1:no such job", "2:bad arguments", "4:no farm answers"})
final class StatusCommand implements Callable<Integer> {

  @Parameters(
      arity = "0..1",
      paramLabel = "<id>",
      description = "the job (default: list the newest)")
  String id;

  @Mixin RunningFarm farm;

  @Option(names = "--json", description = "print the API's JSON as it is")
  boolean json;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "10",
      description = "how many jobs to list (default ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "the directory of the local farm whose processes to show (default .reelfarm)")
  Path dir;

  @Mixin HelpOption help;

  private final PrintStream out;
  private final PrintStream err;

  StatusCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    FarmApi api = farm.client(dir);
    try {
      if (id == null) {
        if (json) {
          out.println(api.jobsJson(limit).toPrettyString());
        } else {
          printServices();
          printList(api.jobs(limit));
        }
        return ExitCodes.OK;
      }
      if (json) out.println(api.jobJson(id).toPrettyString());
      else printJob(api.job(id));
      return ExitCodes.OK;
    } catch (FarmApi.ApiException e) {
      if (e.status() == 404 && id != null) {
        err.println("reelfarm status: no job " + id + " at " + api.base());
        return ExitCodes.JOB_FAILED;
      }
      if (e.status() == 400) {
        err.println("reelfarm status: " + e.describe());
        return ExitCodes.USAGE;
      }
      err.println("reelfarm status: " + e.getMessage());
      return ExitCodes.FARM_ERROR;
    } catch (ConnectException e) {
      err.println("reelfarm status: " + e.getMessage() + "; start one with ./reelfarm up");
      return ExitCodes.FARM_ERROR;
    }
  }

  void printJob(RenderView job) throws JsonProcessingException {
    out.println("job      " + job.id());
    out.println("status   " + job.status() + "  " + ProgressLine.format(job));
    if (job.prompt() != null) out.println("prompt   " + job.prompt());
    var what = new StringBuilder();
    what.append(job.durationSeconds()).append(" s ");
    if (job.preset() != null) what.append(job.preset()).append(' ');
    if (job.mode() != null) what.append(job.mode().id()).append(' ');
    if (job.seed() != null) what.append("seed ").append(job.seed());
    out.println("clip     " + what.toString().strip());
    if (job.error() != null) out.println("error    " + job.error());
    if (job.timings() != null)
      out.println("timings  " + FarmApi.JSON.writeValueAsString(job.timings()));
    if (job.links() != null)
      out.println("links    " + FarmApi.JSON.writeValueAsString(job.links()));
    List<RenderView.ChunkView> chunks = job.chunks() == null ? List.of() : job.chunks();
    if (chunks.isEmpty()) return;
    String row = "%6s  %-11s  %-10s  %7s  %-12s  %s";
    out.println(
        String.format(Locale.ROOT, row, "chunk", "frames", "status", "attempt", "worker", "step"));
    for (RenderView.ChunkView c : chunks) {
      out.println(
          String.format(
              Locale.ROOT,
              row,
              c.index(),
              c.frames() == null ? "" : FarmApi.JSON.writeValueAsString(c.frames()),
              c.status(),
              c.attempt(),
              c.workerId() == null ? "" : c.workerId(),
              c.step() + "/" + c.steps()));
    }
  }

  /** The supervised processes of a local farm running from {@code --dir}, if one does. */
  private void printServices() {
    Path farmDir = dir;
    if (farmDir == null) {
      try {
        farmDir = RepoLayout.locate().defaultFarmDir();
      } catch (RuntimeException e) {
        return; // not in a checkout: no local farm to show
      }
    }
    List<ServiceStatus> services = ServiceStatus.ofRunningFarm(farmDir).orElse(List.of());
    if (services.isEmpty()) return;
    String row = "%-16s  %8s  %-22s  %8s  %s";
    out.println(
        String.format(Locale.ROOT, row, "process", "pid", "state", "restarts", "last exit"));
    for (ServiceStatus s : services) {
      out.println(
          String.format(
              Locale.ROOT, row, s.name(), s.pid(), s.state(), s.restarts(), s.lastExit()));
    }
    out.println();
  }

  private void printList(RenderPage page) {
    List<RenderView> items = page.items() == null ? List.of() : page.items();
    if (items.isEmpty()) {
      out.println("no jobs");
      return;
    }
    for (RenderView job : items) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-36s  %-9s  %4s%%  %s",
              job.id(),
              job.status(),
              Math.round(job.progress() * 100),
              abbreviate(job.prompt() == null ? "" : job.prompt(), 60)));
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
