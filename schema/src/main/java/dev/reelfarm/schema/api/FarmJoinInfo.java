package dev.reelfarm.schema.api;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a worker or an encoder on another host needs to render for a farm ({@code GET
 * /api/v1/farm/join}): the brokers as that host reaches them, the artifact store's settings and the
 * model bundles the farm knows: {@code model} is its default (what workers before issue 16 compare
 * theirs with), {@code models} every bundle it knows, the default first. A joining worker whose
 * bundle has a known name must have that name's checksum; a bundle of a new name joins as a new
 * model.
 *
 * <p>{@code artifacts} holds the store's configuration keys as the services read them ({@code
 * reelfarm.artifacts.dir}, or {@code reelfarm.artifacts.store} with {@code reelfarm.artifacts.s3.*}
 * for an object store): the joining service gets them as they are, so a new kind of store needs no
 * change here.
 */
@Schema(description = "What a worker or encoder on another host needs to join the farm.")
public record FarmJoinInfo(
    @Schema(
            required = true,
            description = "Kafka bootstrap servers as remote hosts reach them",
            examples = "10.0.0.5:9092")
        String kafkaBootstrap,
    @Schema(
            required = true,
            description =
                "The artifact store's settings, configuration key → value (e.g."
                    + " `reelfarm.artifacts.dir`)")
        Map<String, String> artifacts,
    @Schema(required = true, description = "The farm's default model bundle") Bundle model,
    @Schema(
            required = true,
            description =
                "Every model bundle the farm knows (its workers reported or it is configured"
                    + " with), the default first")
        List<Bundle> models) {

  /** A bundle by name, version and {@link dev.reelfarm.schema.bundle.BundleChecksum checksum}. */
  @Schema(name = "FarmBundle", description = "A model bundle and the checksum of its files.")
  public record Bundle(
      @Schema(required = true, description = "bundle.json's name", examples = "tiny-shapes")
          String name,
      @Schema(nullable = true, description = "bundle.json's version", examples = "step14547")
          String version,
      @Schema(
              required = true,
              description =
                  "sha256: and the hex SHA-256 over the bundle's files in the order of their"
                      + " relative paths (each: path, a zero byte, 8-byte length, content)",
              examples = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
          String checksum) {}
}
