package dev.reelfarm.orchestrator.join;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.models.ModelCatalog;
import dev.reelfarm.schema.api.ApiKeys;
import dev.reelfarm.schema.api.FarmJoinInfo;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.config.ArtifactsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * Who may join the farm from another host ({@code reelfarm.join.token}) and what a joining worker
 * or encoder is told: the brokers as remote hosts reach them, the artifact store's settings, and
 * the model bundles the farm knows with their checksums: the default, and every one in the {@link
 * ModelCatalog} (asked at each join, as workers bring new ones).
 */
@ApplicationScoped
public class FarmJoin {

  /** The outcome of checking a presented token. */
  public enum Admission {
    ADMITTED,
    /** No {@code reelfarm.join.token} is configured: nobody may join. */
    DISABLED,
    MISSING,
    WRONG
  }

  private final ReelfarmConfig config;
  private final ModelCatalog models;
  private final Config rawConfig;

  public FarmJoin(ReelfarmConfig config, ModelCatalog models, Config rawConfig) {
    this.config = config;
    this.models = models;
    this.rawConfig = rawConfig;
  }

  /** Whether {@code presented} is the farm's join token, compared in constant time. */
  public Admission admit(String presented) {
    Optional<String> token = config.join().token().filter(t -> !t.isBlank());
    if (token.isEmpty()) return Admission.DISABLED;
    if (presented == null || presented.isBlank()) return Admission.MISSING;
    return ApiKeys.sameSecret(token.get(), presented.strip())
        ? Admission.ADMITTED
        : Admission.WRONG;
  }

  public FarmJoinInfo info() {
    return new FarmJoinInfo(
        config.join().kafkaBootstrap().orElse(config.kafka().bootstrap()),
        artifactSettings(),
        bundle(models.defaultModel()),
        models.known().stream().map(FarmJoin::bundle).toList());
  }

  private static FarmJoinInfo.Bundle bundle(BundleFacts b) {
    return new FarmJoinInfo.Bundle(b.name(), b.version(), b.checksum());
  }

  /**
   * Every {@code reelfarm.artifacts.*} key this orchestrator is configured with, as it is (the
   * joining service configures its store from the same keys, whatever the kind of store), with the
   * directory made absolute (a path relative to this process means nothing to another) and without
   * the scratch directory: that is this host's, the joining service keeps its own.
   */
  private Map<String, String> artifactSettings() {
    String prefix = ArtifactsConfig.PREFIX + ".";
    String hostLocal = ArtifactsConfig.PREFIX + ".scratch-dir";
    var settings = new TreeMap<String, String>();
    for (String name : rawConfig.getPropertyNames()) {
      if (name.startsWith(prefix) && !name.equals(hostLocal))
        rawConfig.getOptionalValue(name, String.class).ifPresent(v -> settings.put(name, v));
    }
    settings.put(
        ArtifactsConfig.PREFIX + ".dir", config.artifacts().dir().toAbsolutePath().toString());
    config
        .join()
        .s3Endpoint()
        .ifPresent(endpoint -> settings.put(ArtifactsConfig.PREFIX + ".s3.endpoint", endpoint));
    return settings;
  }
}
