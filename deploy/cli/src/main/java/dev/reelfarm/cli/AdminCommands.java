package dev.reelfarm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelfarm.schema.api.ApiKeyRequest;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.TeamRequest;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reelfarm teams …} and {@code reelfarm keys …}: the admin routes of a running farm. They
 * print the API's JSON; the key is that of $REELFARM_API_KEY or the local farm's admin key.
 */
final class AdminCommands {
  private AdminCommands() {}

  /** What every admin subcommand shares: the farm, the output, the help. */
  abstract static class Admin implements Callable<Integer> {
    @Mixin RunningFarm farm;

    @Mixin HelpOption help;

    final PrintStream out;

    Admin(PrintStream out) {
      this.out = out;
    }

    static String path(String segment) {
      return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    void print(Object json) {
      out.println(((com.fasterxml.jackson.databind.JsonNode) json).toPrettyString());
    }
  }

  /** The quotas {@code teams update --unlimited} lifts: option names to API fields. */
  static final Map<String, String> QUOTA_FIELDS = new LinkedHashMap<>();

  static {
    QUOTA_FIELDS.put("max-concurrent-chunks", "maxConcurrentChunks");
    QUOTA_FIELDS.put("max-queued-jobs", "maxQueuedJobs");
    QUOTA_FIELDS.put("gpu-seconds-per-day", "gpuSecondsPerDay");
  }

  /** The limits {@code teams create} and {@code teams update} take. */
  static final class Limits {
    @Option(names = "--weight", paramLabel = "N", description = "fair-share weight (default 1)")
    Integer weight;

    @Option(names = "--max-concurrent-chunks", paramLabel = "N", description = "quota")
    Integer maxConcurrentChunks;

    @Option(names = "--max-queued-jobs", paramLabel = "N", description = "quota")
    Integer maxQueuedJobs;

    @Option(names = "--gpu-seconds-per-day", paramLabel = "N", description = "quota")
    Long gpuSecondsPerDay;

    TeamRequest request(String name) {
      return new TeamRequest(name, weight, maxConcurrentChunks, maxQueuedJobs, gpuSecondsPerDay);
    }
  }

  @Command(
      name = "teams",
      synopsisHeading = "usage: ",
      customSynopsis = "reelfarm teams create|list|update … [--api URL]",
      header = "create, list and change teams (needs an admin key)",
      subcommands = {TeamsCreate.class, TeamsList.class, TeamsUpdate.class})
  static final class Teams implements Callable<Integer> {
    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    Teams(PrintStream out, PrintStream err) {}

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCodes.USAGE;
    }
  }

  @Command(name = "create", header = "create a team", synopsisHeading = "usage: ")
  static final class TeamsCreate extends Admin {
    @Parameters(paramLabel = "<name>", description = "lower-case letters, digits, '-'")
    String name;

    @Mixin Limits limits;

    TeamsCreate(PrintStream out, PrintStream err) {
      super(out);
    }

    @Override
    public Integer call() throws Exception {
      print(farm.client(null).call("POST", "/api/v1/teams", limits.request(name), 201));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", header = "list the teams", synopsisHeading = "usage: ")
  static final class TeamsList extends Admin {
    TeamsList(PrintStream out, PrintStream err) {
      super(out);
    }

    @Override
    public Integer call() throws Exception {
      print(farm.client(null).call("GET", "/api/v1/teams", null, 200));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "update",
      header = "change a team's weight or quotas",
      synopsisHeading = "usage: ")
  static final class TeamsUpdate extends Admin {
    @Parameters(paramLabel = "<team>", description = "the team's name or id")
    String team;

    @Mixin Limits limits;

    @Option(
        names = "--unlimited",
        paramLabel = "QUOTA",
        split = ",",
        description =
            "lift a quota: max-concurrent-chunks, max-queued-jobs or gpu-seconds-per-day"
                + " (repeatable)")
    List<String> unlimited = new ArrayList<>();

    @Spec CommandSpec spec;

    TeamsUpdate(PrintStream out, PrintStream err) {
      super(out);
    }

    @Override
    public Integer call() throws Exception {
      print(farm.client(null).call("PATCH", "/api/v1/teams/" + path(team), patch(), 200));
      return ExitCodes.OK;
    }

    /** A JSON merge patch: the limits given, and null for each lifted quota. */
    ObjectNode patch() {
      ObjectNode patch = FarmApi.JSON.createObjectNode();
      FarmApi.JSON
          .valueToTree(limits.request(null))
          .fields()
          .forEachRemaining(
              f -> {
                if (!f.getValue().isNull()) patch.set(f.getKey(), f.getValue());
              });
      for (String quota : unlimited) {
        String field = QUOTA_FIELDS.get(quota.strip());
        if (field == null)
          throw new ParameterException(
              spec.commandLine(),
              "--unlimited: '"
                  + quota
                  + "' is not one of "
                  + String.join(", ", QUOTA_FIELDS.keySet()));
        patch.putNull(field);
      }
      return patch;
    }
  }

  @Command(
      name = "keys",
      synopsisHeading = "usage: ",
      customSynopsis = "reelfarm keys create|list|revoke … [--api URL]",
      header = "create, list and revoke API keys (needs an admin key)",
      subcommands = {KeysCreate.class, KeysList.class, KeysRevoke.class})
  static final class Keys implements Callable<Integer> {
    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    Keys(PrintStream out, PrintStream err) {}

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCodes.USAGE;
    }
  }

  @Command(
      name = "create",
      header = "create a key of a team (printed once: store it)",
      synopsisHeading = "usage: ")
  static final class KeysCreate extends Admin {
    @Parameters(paramLabel = "<team>", description = "the team's name or id")
    String team;

    @Option(names = "--name", required = true, description = "what the key is for")
    String name;

    @Option(
        names = "--scopes",
        split = ",",
        paramLabel = "SCOPE",
        converter = Converters.Scope.class,
        description = "submit,read,cancel,admin (default submit,read,cancel)")
    List<ApiScope> scopes;

    private final PrintStream err;

    KeysCreate(PrintStream out, PrintStream err) {
      super(out);
      this.err = err;
    }

    @Override
    public Integer call() throws Exception {
      var created =
          farm.client(null)
              .call(
                  "POST",
                  "/api/v1/teams/" + path(team) + "/keys",
                  new ApiKeyRequest(name, scopes),
                  201);
      print(created);
      err.println("reelfarm: the key is shown once (\"key\" above); store it now");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      header = "list a team's keys (never the keys)",
      synopsisHeading = "usage: ")
  static final class KeysList extends Admin {
    @Parameters(paramLabel = "<team>", description = "the team's name or id")
    String team;

    KeysList(PrintStream out, PrintStream err) {
      super(out);
    }

    @Override
    public Integer call() throws Exception {
      print(farm.client(null).call("GET", "/api/v1/teams/" + path(team) + "/keys", null, 200));
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", header = "revoke a key", synopsisHeading = "usage: ")
  static final class KeysRevoke extends Admin {
    @Parameters(paramLabel = "<key id>", description = "the key's id (from keys list)")
    String id;

    KeysRevoke(PrintStream out, PrintStream err) {
      super(out);
    }

    @Override
    public Integer call() throws Exception {
      print(farm.client(null).call("DELETE", "/api/v1/keys/" + path(id), null, 200));
      return ExitCodes.OK;
    }
  }
}
