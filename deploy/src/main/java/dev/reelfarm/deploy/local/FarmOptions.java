package dev.reelfarm.deploy.local;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of every command that starts a local farm ({@code render}, {@code up}, {@code eval}):
 * their help, their names for {@link Args#parse} and the {@link LocalFarm.Builder} they describe.
 */
public final class FarmOptions {

  /**
   * The options' help and the environment variables the farm reads: lines for a command's usage,
   * the last one blank, to pass as one element of its {@code String.join("\n", …)}.
   */
  public static final String HELP =
      String.join(
          "\n",
          "  --workers N        worker processes (default 1)",
          "  --worker-threads N chunks each worker renders at once (default 1)",
          "  --model DIR        model bundle (default models/tiny-shapes, else the test fixture)",
          "  --dir DIR          farm directory: state and logs, wiped at start (default .reelfarm)",
          "  -Dkey=value        a system property for every service (-Dquarkus.log.level=DEBUG)",
          "",
          "environment: REELFARM_DB_URL (with REELFARM_DB_USER, REELFARM_DB_PASSWORD) and",
          "  REELFARM_KAFKA_BOOTSTRAP use external servers instead of the embedded ones;",
          "  REELFARM_MODEL_BUNDLE picks the model.",
          "");

  /** The farm options that take a value, plus the command's own {@code commandOptions}. */
  public static Set<String> valueOptionsWith(String... commandOptions) {
    var names = new LinkedHashSet<>(List.of("workers", "worker-threads", "model", "dir"));
    names.addAll(List.of(commandOptions));
    return names;
  }

  /** A {@link LocalFarm.Builder} from the farm options in {@code args}. */
  public static LocalFarm.Builder farmBuilder(Args args) {
    var builder = LocalFarm.builder();
    int workers = args.integer("workers", 1);
    if (workers < 1) throw new Args.UsageException(args.command(), "--workers must be at least 1");
    builder.workers(workers);
    int threads = args.integer("worker-threads", 1);
    if (threads < 1)
      throw new Args.UsageException(args.command(), "--worker-threads must be at least 1");
    builder.workerThreads(threads);
    if (args.has("model"))
      builder.modelBundle(Path.of(args.string("model", null)).toAbsolutePath());
    if (args.has("dir")) builder.dir(Path.of(args.string("dir", null)));
    args.properties().forEach(builder::serviceProperty);
    return builder;
  }

  private FarmOptions() {}
}
