package dev.reelfarm.orchestrator.config;

import dev.reelfarm.schema.bundle.BundleChecksum;
import dev.reelfarm.schema.bundle.BundleManifest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/** The model the farm renders with; its manifest fixes native size, frame rate and chunk length. */
@ApplicationScoped
public class ModelCatalog {
  private final BundleManifest manifest;
  private final Path bundle;
  private volatile String checksum;

  public ModelCatalog(ReelfarmConfig config) {
    this.bundle = config.model().bundle();
    this.manifest = BundleManifest.read(bundle);
  }

  public BundleManifest manifest() {
    return manifest;
  }

  /**
   * The bundle's {@link BundleChecksum}, computed at the first call (it reads every file of the
   * bundle; joining hosts and feedback records need it, plain rendering does not).
   */
  public String checksum() {
    String known = checksum;
    if (known == null) {
      known = BundleChecksum.of(bundle);
      checksum = known;
    }
    return known;
  }
}
