package dev.reelfarm.schema.bundle;

import java.nio.file.Path;

/**
 * What the orchestrator needs to know of a model bundle to plan, route and default a request for
 * it, as a worker that has it loaded reports it (in its heartbeat) and {@code GET /api/v1/models}
 * lists it: identity (name, version, checksum), the native format, chunk length and VAE temporal
 * compression the planner uses, and the request defaults. {@code vaeTemporalScale} absent (0, a
 * report from a worker before it was sent) means 1.
 */
public record BundleFacts(
    String name,
    String version,
    String checksum,
    int nativeWidth,
    int nativeHeight,
    int nativeFps,
    int framesPerChunk,
    int vaeTemporalScale,
    int defaultSteps,
    double defaultGuidanceScale,
    boolean testFixture) {

  public BundleFacts {
    if (vaeTemporalScale < 1) vaeTemporalScale = 1;
  }

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
        manifest.vaeTemporalScale(),
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

  /**
   * Whether the planner may render strided keyframe passes (anchored mode): not through a VAE that
   * compresses time, whose latent frames each stand for a run of consecutive pixel frames.
   */
  public boolean keyframePlans() {
    return vaeTemporalScale == 1;
  }

  /**
   * The context frames a sequential chunk gets when {@code requested} are asked for: whole latent
   * frames, i.e. the most 1 + s·m frames not above {@code requested} (at least one), so that the
   * known pixel frames encode to exactly the window's first latent frames. {@code requested} when
   * the VAE does not compress time.
   */
  public int contextFramesFor(int requested) {
    if (vaeTemporalScale == 1) return requested;
    return 1 + Math.max(0, requested - 1) / vaeTemporalScale * vaeTemporalScale;
  }

  public BundleRef ref() {
    return new BundleRef(name, checksum);
  }
}
