package dev.reelfarm.orchestrator.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.join.FarmJoin.Admission;
import dev.reelfarm.orchestrator.models.ModelCatalog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.ModelRepository;
import dev.reelfarm.schema.api.FarmJoinInfo;
import dev.reelfarm.schema.bundle.BundleChecksum;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithPostgres
class FarmJoinTest {

  private static final String BUNDLE = "../models/fixtures/tiny-random-bcfhw";
  private static final String OTHER = "../models/fixtures/tiny-random-bfchw";

  private final TestDatabase database;

  FarmJoinTest(TestDatabase database) {
    this.database = database;
  }

  @BeforeEach
  void noReportedModels() throws Exception {
    database.truncateAll();
  }

  @Test
  void onlyTheConfiguredTokenIsAdmitted() {
    FarmJoin join = join(Map.of("reelfarm.join.token", "s3cret-token"));

    assertThat(join.admit("s3cret-token")).isEqualTo(Admission.ADMITTED);
    assertThat(join.admit("s3cret-tokem")).isEqualTo(Admission.WRONG);
    assertThat(join.admit("s3cret-token-and-more")).isEqualTo(Admission.WRONG);
    assertThat(join.admit(null)).isEqualTo(Admission.MISSING);
    assertThat(join.admit(" ")).isEqualTo(Admission.MISSING);
  }

  @Test
  void withoutATokenJoiningIsDisabledWhateverIsPresented() {
    FarmJoin join = join(Map.of());

    assertThat(join.admit("anything")).isEqualTo(Admission.DISABLED);
    assertThat(join.admit(null)).isEqualTo(Admission.DISABLED);
  }

  @Test
  void theInfoNamesTheRemoteBootstrapTheArtifactKeysAndTheBundleWithItsChecksum() {
    FarmJoin join =
        join(
            Map.of(
                "reelfarm.join.token", "t",
                "reelfarm.join.kafka-bootstrap", "10.77.0.1:9092",
                "reelfarm.artifacts.dir", "/srv/artifacts"));

    var info = join.info();

    assertThat(info.kafkaBootstrap()).isEqualTo("10.77.0.1:9092");
    assertThat(info.artifacts())
        .contains(
            Map.entry("reelfarm.artifacts.dir", "/srv/artifacts"),
            Map.entry("reelfarm.artifacts.store", "fs"))
        .allSatisfy((key, value) -> assertThat(key).startsWith("reelfarm.artifacts."));
    assertThat(info.model().name()).isEqualTo("tiny-random-bcfhw");
    assertThat(info.model().checksum()).isEqualTo(BundleChecksum.of(Path.of(BUNDLE)));
    assertThat(info.models()).containsExactly(info.model());
  }

  @Test
  void aBundleAWorkerReportedIsListedAfterTheDefault() {
    FarmJoin join = join(Map.of("reelfarm.join.token", "t"));
    BundleFacts other = BundleFacts.read(Path.of(OTHER));
    new Database(database.dataSource())
        .inTransaction(
            c -> {
              new ModelRepository().report(c, other);
              return null;
            });

    var info = join.info();

    assertThat(info.model().name()).isEqualTo("tiny-random-bcfhw");
    assertThat(info.models())
        .extracting(FarmJoinInfo.Bundle::name, FarmJoinInfo.Bundle::checksum)
        .containsExactly(
            tuple("tiny-random-bcfhw", BundleChecksum.of(Path.of(BUNDLE))),
            tuple("tiny-random-bfchw", other.checksum()));
  }

  @Test
  void theS3StoresKeysAreGivenButNotThisHostsScratchDirectory() {
    var info =
        join(Map.of(
                "reelfarm.join.token", "t",
                "reelfarm.artifacts.dir", "/srv/artifacts",
                "reelfarm.artifacts.store", "s3",
                "reelfarm.artifacts.s3.endpoint", "http://10.77.0.1:9000",
                "reelfarm.artifacts.scratch-dir", "/srv/scratch/orchestrator"))
            .info();

    assertThat(info.artifacts())
        .contains(
            Map.entry("reelfarm.artifacts.dir", "/srv/artifacts"),
            Map.entry("reelfarm.artifacts.store", "s3"),
            Map.entry("reelfarm.artifacts.s3.endpoint", "http://10.77.0.1:9000"))
        .doesNotContainKey("reelfarm.artifacts.scratch-dir");
  }

  @Test
  void withoutARemoteBootstrapTheFarmsOwnIsGivenAndTheDefaultDirectoryAbsolute() {
    var info = join(Map.of("reelfarm.join.token", "t")).info();

    assertThat(info.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
    assertThat(info.artifacts())
        .contains(
            Map.entry(
                "reelfarm.artifacts.dir",
                Path.of(".reelfarm/artifacts").toAbsolutePath().toString()))
        .allSatisfy((key, value) -> assertThat(key).startsWith("reelfarm.artifacts."));
  }

  private FarmJoin join(Map<String, String> properties) {
    var all = new LinkedHashMap<String, String>();
    all.put("reelfarm.db.url", "jdbc:postgresql://127.0.0.1:1/none");
    all.put("reelfarm.db.user", "u");
    all.put("reelfarm.db.password", "p");
    all.put("reelfarm.kafka.bootstrap", "127.0.0.1:19092");
    all.put("reelfarm.model.bundle", BUNDLE);
    all.putAll(properties);
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(ReelfarmConfig.class)
            .withSources(new PropertiesConfigSource(all, "test", 100))
            .build();
    ReelfarmConfig reelfarm = config.getConfigMapping(ReelfarmConfig.class);
    var catalog =
        new ModelCatalog(
            BundleFacts.read(Path.of(BUNDLE)),
            new Database(database.dataSource()),
            new ModelRepository(),
            10);
    return new FarmJoin(reelfarm, catalog, config);
  }
}
