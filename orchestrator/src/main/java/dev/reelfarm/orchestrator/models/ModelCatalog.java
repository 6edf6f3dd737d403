package dev.reelfarm.orchestrator.models;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.ModelRepository;
import dev.reelfarm.orchestrator.submission.ModelLookup;
import dev.reelfarm.schema.api.ModelView;
import dev.reelfarm.schema.bundle.BundleFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models the farm renders with: every bundle a worker has reported in its heartbeat ({@code
 * model_bundle}), and the farm's default, the bundle of {@code reelfarm.model.bundle}, known from
 * its files before any worker reports it. A reported bundle wins over the configured files of the
 * same name: the workers are what renders, so a job is planned with, and pinned to, what they have
 * loaded.
 */
@ApplicationScoped
public class ModelCatalog implements ModelLookup {
  private final BundleFacts configured;
  private final Database db;
  private final ModelRepository models;
  private final int liveSeconds;

  @Inject
  public ModelCatalog(ReelfarmConfig config, Database db, ModelRepository models) {
    this(BundleFacts.read(config.model().bundle()), db, models, config.workers().liveSeconds());
  }

  /**
   * @param configured the default model, from the orchestrator's own copy of its bundle
   * @param liveSeconds a worker heard from within this long is live
   */
  public ModelCatalog(
      BundleFacts configured, Database db, ModelRepository models, int liveSeconds) {
    this.configured = configured;
    this.db = db;
    this.models = models;
    this.liveSeconds = liveSeconds;
  }

  /** The configured default bundle, as the orchestrator's files describe it. */
  public BundleFacts configuredDefault() {
    return configured;
  }

  @Override
  public BundleFacts defaultModel() {
    return find(configured.name()).orElse(configured);
  }

  @Override
  public Optional<BundleFacts> find(String name) {
    Optional<BundleFacts> reported = db.inTransaction(c -> models.find(c, name));
    return reported.or(
        () -> name.equals(configured.name()) ? Optional.of(configured) : Optional.empty());
  }

  @Override
  public List<String> names() {
    return known().stream().map(BundleFacts::name).toList();
  }

  /** Every known model, the default first, then by name. */
  public List<BundleFacts> known() {
    List<BundleFacts> all = new ArrayList<>(db.inTransaction(models::all));
    if (all.stream().noneMatch(b -> b.name().equals(configured.name()))) all.add(configured);
    all.sort(
        Comparator.comparing((BundleFacts b) -> !b.name().equals(configured.name()))
            .thenComparing(BundleFacts::name));
    return all;
  }

  /** {@link #known()} as {@code GET /api/v1/models} shows it, with the live workers of each. */
  public List<ModelView> views() {
    Map<String, Integer> live = db.inTransaction(c -> models.liveWorkers(c, liveSeconds));
    return known().stream()
        .map(
            b ->
                new ModelView(
                    b.name(),
                    b.version(),
                    b.checksum(),
                    b.nativeWidth(),
                    b.nativeHeight(),
                    b.nativeFps(),
                    b.framesPerChunk(),
                    b.defaultSteps(),
                    b.defaultGuidanceScale(),
                    b.testFixture(),
                    b.name().equals(configured.name()),
                    live.getOrDefault(b.name(), 0)))
        .toList();
  }
}
