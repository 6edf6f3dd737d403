package dev.reelfarm.e2e;

import dev.reelfarm.launcher.LocalFarm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One default test farm ({@link FarmClient#testFarm}) per failsafe JVM, shared by the IT classes
 * that need nothing special of their farm: each farm start costs 15–60 s of the suite, and the
 * functional tests (the end-to-end render, poison records, batches, storyboards, re-renders,
 * feedback, the generated client) do not disturb each other: each counts its own jobs, or counts
 * around one request, and classes in one failsafe JVM run one after another. A class that kills
 * services, changes the farm's configuration or measures timings starts its own farm instead. The
 * farm stops with the JVM ({@link LocalFarm}'s shutdown hook).
 */
final class SharedFarm {
  /** Failsafe runs in the module's directory. */
  private static final Path BUILD_DIR = Path.of("target");

  private static LocalFarm farm;

  private SharedFarm() {}

  /** The shared farm, started on first use. */
  static synchronized LocalFarm farm() {
    if (farm == null) {
      try {
        // Under the module's build directory, not /tmp: the farm's 60-110 MB (database, broker,
        // artifacts) go with the build's other outputs instead of piling up run after run.
        Files.createDirectories(BUILD_DIR);
        Path dir = Files.createTempDirectory(BUILD_DIR, "shared-farm");
        farm = FarmClient.testFarm(dir.resolve("farm")).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.out.println("shared farm ready: " + farm.describeTimings());
    }
    return farm;
  }

  /** A client of the shared farm with its admin key. */
  static FarmClient client() {
    return new FarmClient(farm());
  }
}
