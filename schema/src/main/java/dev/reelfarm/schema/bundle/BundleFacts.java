package dev.reelfarm.schema.bundle;

import java.nio.file.Path;

/**
 * What the orchestrator needs to know of a model bundle to plan, route and default a request for
 * it, as a worker that has it loaded reports it (in its heartbeat) and {@code GET /api/v1/models}
 * lists it: identity (name, version, checksum), the native format and chunk length the planner
 * uses, and the request defaults.
 */
public record BundleFacts(
    String name,
    String version,
    String checksum,
    int nativeWidth,
    int nativeHeight,
    int nativeFps,
    int framesPerChunk,
    int defaultSteps,
    double defaultGuidanceScale,
    boolean testFixture) {

  /** The facts of {@code manifest}, whose files have {@code checksum} (null: not computed). */
  public static BundleFacts of(BundleManifest manifest, String checksum) {
    return new BundleFacts(
        manifest.name(),
        manifest.version(),
        checksum,
        manifest.nativeWidth(),
        manifest.nativeHeight(),
        manifest.nativeFps(),
        manifest.framesPerChunk(),
        manifest.defaultSteps(),
        manifest.defaultGuidanceScale(),
        manifest.testFixture());
  }

  /**
   * Reads and validates the bundle in {@code dir} and checksums its files.
   *
   * @throws InvalidBundleException when its bundle.json is missing or invalid
   */
  public static BundleFacts read(Path dir) {
    return of(BundleManifest.read(dir), BundleChecksum.of(dir));
  }

  public BundleRef ref() {
    return new BundleRef(name, checksum);
  }
}
