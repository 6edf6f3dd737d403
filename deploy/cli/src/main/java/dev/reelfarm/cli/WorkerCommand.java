package dev.reelfarm.cli;

import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.schema.api.FarmJoinInfo;
import dev.reelfarm.schema.bundle.BundleChecksum;
import dev.reelfarm.schema.bundle.BundleManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelfarm worker --join URL}: render for a farm that runs elsewhere. */
@Command(
    name = "worker",
    synopsisHeading = "usage: ",
    sortOptions = false,
    customSynopsis = "reelfarm worker --join URL [--token T] [--gpus LIST] [options]",
    header = "join a farm on another host with a worker, in the foreground",
    descriptionHeading = "%n",
    description = {
      "Asks the farm's orchestrator (GET /api/v1/farm/join, with the join token that",
      "./reelfarm up prints) for its Kafka, artifact store and model bundles, checks that the",
      "local bundle has the checksum the farm knows for its name (a bundle of a name the farm",
      "does not know joins as a new model), then runs a worker here until Ctrl-C, started again",
      "with backoff when it dies. The worker must reach the farm's Kafka and artifact store."
    },
    optionListHeading = "%noptions:%n",
    exitCodeListHeading = "%nexit codes:%n",
    exitCodeList = {
      "130:stopped by Ctrl-C (143: by SIGTERM)",
      "2:bad arguments, or the worker refused its configuration",
      "4:the farm does not answer",
      "5:the farm refused the join token, or joining is disabled there",
      "6:the local model bundle differs from the farm's bundle of that name"
    })
final class WorkerCommand implements Callable<Integer> {

  @Mixin JoinOptions join;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "the local model bundle (default: the checkout's bundle of the farm's default model,"
              + " models/<name> or models/fixtures/<name>); one of another name than the farm's"
              + " models joins as a new model")
  Path model;

  @Option(
      names = "--gpus",
      paramLabel = "LIST",
      defaultValue = "all",
      description =
          "GPUs the worker may use: all (default), none (CPU), or CUDA device ids (0 or 0,1)")
  String gpus;

  @Mixin HelpOption help;

  private final PrintStream err;

  WorkerCommand(PrintStream out, PrintStream err) {
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    FarmJoinInfo info = new FarmJoinClient(join.api).fetch(join.token);
    RepoLayout layout = RepoLayout.locate();
    Path bundle = localBundle(farmBundleFor(info), layout);
    String id = join.idOr("worker");
    var own = new LinkedHashMap<String, String>();
    own.put("reelfarm.worker.id", id);
    own.put("reelfarm.model.bundle", bundle.toString());
    JoinedService worker =
        JoinedService.of(id, layout.workerJar(), info, own, join.properties, err);
    switch (gpus.strip()) {
      case "all" -> {}
      case "none" -> worker.env("REELFARM_WORKER_CUDA", "false");
      default -> worker.env("CUDA_VISIBLE_DEVICES", gpus.strip());
    }
    err.println(
        "reelfarm worker: joined "
            + join.api
            + " as "
            + id
            + " (kafka "
            + info.kafkaBootstrap()
            + ", artifacts "
            + info.artifacts().keySet()
            + ", bundle "
            + bundleName(bundle)
            + " "
            + BundleChecksum.of(bundle)
            + "); Ctrl-C stops it");
    return worker.run();
  }

  /**
   * The farm's bundle the local one must equal: without {@code --model}, the farm's default; with
   * it, the farm's bundle of the local bundle's name, or null when the farm has none of that name
   * (the worker brings a new model). An orchestrator from before issue 16 lists no {@code models}:
   * then its one bundle.
   */
  private FarmJoinInfo.Bundle farmBundleFor(FarmJoinInfo info) {
    if (model == null || !RepoLayout.isBundle(model)) return info.model(); // refused below
    String name = bundleName(model);
    List<FarmJoinInfo.Bundle> known = info.models() != null ? info.models() : List.of(info.model());
    return known.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * The bundle this worker runs, checked against the farm's bundle of its name ({@code farm}; null:
   * a new model, admitted as it is).
   *
   * @throws JoinRefusedException naming both bundles and checksums when they differ
   */
  private Path localBundle(FarmJoinInfo.Bundle farm, RepoLayout layout)
      throws JoinRefusedException {
    if (farm == null) {
      Path bundle = model.toAbsolutePath().normalize();
      err.println(
          "reelfarm worker: the farm has no model "
              + bundleName(bundle)
              + " yet: joining with it as a new model");
      return bundle;
    }
    Optional<Path> found =
        Optional.ofNullable(model)
            .or(
                () ->
                    List.of("models/" + farm.name(), "models/fixtures/" + farm.name()).stream()
                        .map(layout.root()::resolve)
                        .filter(RepoLayout::isBundle)
                        .findFirst());
    if (found.isEmpty() || !RepoLayout.isBundle(found.get())) {
      throw JoinRefusedException.bundleDiffers(
          "the farm renders with model bundle "
              + farm.name()
              + " ("
              + farm.checksum()
              + "), and "
              + found
                  .map(p -> p + " is no bundle (no bundle.json)")
                  .orElse("there is no bundle of that name in " + layout.root().resolve("models"))
              + ": copy the farm's bundle here and pass --model DIR");
    }
    Path bundle = found.get().toAbsolutePath().normalize();
    String checksum = BundleChecksum.of(bundle);
    if (!checksum.equals(farm.checksum())) {
      throw JoinRefusedException.bundleDiffers(
          "the local model bundle differs from the farm's: the farm renders with "
              + farm.name()
              + " "
              + farm.checksum()
              + ", the local bundle "
              + bundle
              + " is "
              + bundleName(bundle)
              + " "
              + checksum
              + "; copy the farm's bundle here and pass --model DIR");
    }
    return bundle;
  }

  /** bundle.json's name, read leniently: a broken manifest must not hide the mismatch. */
  private static String bundleName(Path bundle) {
    try {
      return FarmApi.JSON
          .readTree(bundle.resolve(BundleManifest.FILE_NAME).toFile())
          .path("name")
          .asText("(unnamed)");
    } catch (IOException e) {
      return "(unreadable " + BundleManifest.FILE_NAME + ")";
    }
  }
}
