package dev.reelfarm.schema.artifacts;

import dev.reelfarm.schema.config.ArtifactsConfig;
import java.nio.file.Path;

/** The store {@code reelfarm.artifacts.*} configures, the one place each service opens it. */
public final class ArtifactStores {

  public static ArtifactStore open(ArtifactsConfig config) {
    return switch (config.store()) {
      case FS -> new FileArtifactStore(config.dir());
      case S3 ->
          new S3ArtifactStore(
              S3Connection.open(config.s3()),
              config
                  .scratchDir()
                  .orElse(Path.of(System.getProperty("java.io.tmpdir"), "reelfarm-scratch")));
    };
  }

  private ArtifactStores() {}
}
