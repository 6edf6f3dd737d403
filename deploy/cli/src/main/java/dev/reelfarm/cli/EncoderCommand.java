package dev.reelfarm.cli;

import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.schema.api.FarmJoinInfo;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reelfarm encoder --join URL}: encode for a farm that runs elsewhere. */
@Command(
    name = "encoder",
    synopsisHeading = "usage: ",
    sortOptions = false,
    customSynopsis = "reelfarm encoder --join URL [--token T] [options]",
    header = "join a farm on another host with an encoder, in the foreground",
    descriptionHeading = "%n",
    description = {
      "Asks the farm's orchestrator (GET /api/v1/farm/join, with the join token that",
      "./reelfarm up prints) for its Kafka and artifact store, then runs an encoder here until",
      "Ctrl-C, started again with backoff when it dies. The encoder runs no model: it needs no",
      "bundle. It must reach the farm's Kafka and artifact store."
    },
    optionListHeading = "%noptions:%n",
    exitCodeListHeading = "%nexit codes:%n",
    exitCodeList = {
      "130:stopped by Ctrl-C (143: by SIGTERM)",
      "2:bad arguments, or the encoder refused its configuration",
      "4:the farm does not answer",
      "5:the farm refused the join token, or joining is disabled there"
    })
final class EncoderCommand implements Callable<Integer> {

  @Mixin JoinOptions join;

  @Mixin HelpOption help;

  private final PrintStream err;

  EncoderCommand(PrintStream out, PrintStream err) {
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    FarmJoinInfo info = new FarmJoinClient(join.api).fetch(join.token);
    String id = join.idOr("encoder");
    JoinedService encoder =
        JoinedService.of(
            id,
            RepoLayout.locate().encoderJar(),
            info,
            Map.of("reelfarm.encoder.id", id),
            join.properties,
            err);
    err.println(
        "reelfarm encoder: joined "
            + join.api
            + " as "
            + id
            + " (kafka "
            + info.kafkaBootstrap()
            + ", artifacts "
            + info.artifacts().keySet()
            + "); Ctrl-C stops it");
    return encoder.run();
  }
}
