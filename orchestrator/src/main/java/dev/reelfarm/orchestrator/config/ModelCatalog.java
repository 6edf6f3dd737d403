package dev.reelfarm.orchestrator.config;

import dev.reelfarm.schema.bundle.BundleManifest;
import jakarta.enterprise.context.ApplicationScoped;

/** The model the farm renders with; its manifest fixes native size, frame rate and chunk length. */
@ApplicationScoped
public class ModelCatalog {
  private final BundleManifest manifest;

  public ModelCatalog(ReelfarmConfig config) {
    this.manifest = BundleManifest.read(config.model().bundle());
  }

  public BundleManifest manifest() {
    return manifest;
  }
}
