package dev.reelfarm.orchestrator.config;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.artifacts.ArtifactStores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** The one artifact store of this orchestrator ({@code reelfarm.artifacts.*}), shared by all. */
@ApplicationScoped
public class ArtifactStoreProducer {

  @Produces
  @ApplicationScoped
  ArtifactStore artifactStore(ReelfarmConfig config) {
    return ArtifactStores.open(config.artifacts());
  }

  void close(@Disposes ArtifactStore store) throws Exception {
    if (store instanceof AutoCloseable closeable) closeable.close();
  }
}
