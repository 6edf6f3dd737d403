package dev.reelfarm.cli;

import dev.reelfarm.mediaqa.SeamMetric;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderView;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reelfarm seams <id>}: how visible a finished job's chunk seams are, measured on its MP4
 * with {@link SeamMetric} at the chunk boundaries its plan reports.
 */
@Command(
    name = "seams",
    synopsisHeading = "usage: ",
    sortOptions = false,
    customSynopsis = "reelfarm seams <job id> [--api URL] [--json]",
    header = "measure how visible a finished job's chunk seams are (1.0 = invisible)",
    descriptionHeading = "%n",
    description = {
      "Downloads the job's MP4, decodes it and reports the seam ratio (mean frame-to-frame change",
      "across chunk boundaries over the median change inside chunks; 1.0 = invisible) and flicker",
      "(mean second difference over mean first difference)."
    },
    optionListHeading = "%noptions:%n")
public final class SeamsCommand implements Callable<Integer> {
  private static final int DOWNSAMPLE = 8;

  @Parameters(arity = "1", paramLabel = "<job id>", description = "a finished job")
  String id;

  @Mixin RunningFarm farm;

  @Option(names = "--json", description = "one JSON line instead of text")
  boolean json;

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  private final PrintStream out;

  SeamsCommand(PrintStream out, PrintStream err) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    FarmApi api = farm.client(null);
    RenderView job = api.job(id);
    if (job.status() != JobStatus.SUCCEEDED) {
      throw new ParameterException(
          spec.commandLine(), "job " + id + " is " + job.status() + "; seams need a finished clip");
    }
    Path mp4 = Files.createTempFile("reelfarm-seams-", ".mp4");
    try {
      api.downloadVideo(id, mp4);
      SeamMetric.Result r = measure(job, mp4);
      if (json) {
        out.printf(
            "{\"id\":\"%s\",\"mode\":\"%s\",\"seamRatio\":%.4f,\"flicker\":%.4f,\"boundaries\":%d}%n",
            id, job.mode().id(), r.seamRatio(), r.flicker(), r.boundaryChanges().size());
      } else {
        out.printf("job %s (%s, %d chunks)%n", id, job.mode().id(), job.chunks().size());
        out.printf(
            "seam ratio %.3f (1.0 = invisible) over %d boundaries; flicker %.3f; median in-chunk change %.2f%n",
            r.seamRatio(), r.boundaryChanges().size(), r.flicker(), r.medianInsideChange());
      }
      return ExitCodes.OK;
    } finally {
      Files.deleteIfExists(mp4);
    }
  }

  /** The seam metric of a finished job's MP4, at the chunk boundaries of its plan. */
  public static SeamMetric.Result measure(RenderView job, Path mp4) throws IOException {
    List<Integer> boundaries = new ArrayList<>();
    for (RenderView.ChunkView chunk : job.chunks()) {
      int start = chunk.ownedStart();
      if (chunk.ownedEnd() > start && start > 0) boundaries.add(start);
    }
    List<byte[]> luma = new ArrayList<>();
    VideoProbe.decodeFrames(
        mp4,
        (index, width, height, rgb) -> luma.add(SeamMetric.luma(rgb, width, height, DOWNSAMPLE)));
    int outputFps = (int) Math.round(luma.size() / job.durationSeconds());
    return SeamMetric.measure(luma, boundaries, job.nativeFps(), outputFps);
  }
}
