package dev.reelfarm.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.encoder.EncoderConfig;
import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.schema.config.ArtifactsConfig;
import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.worker.WorkerConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every REELFARM_* variable the chart sets names a key of that service's configuration mapping, and
 * the service's configuration loads from them: environment variables are the one source the
 * services cannot check for typos, so the chart is checked here.
 */
class ChartConfigKeysTest {
  /** Quarkus's own keys the orchestrator is given (its HTTP listener). */
  private static final Set<String> QUARKUS_KEYS = Set.of("quarkus.http.host", "quarkus.http.port");

  private final RenderedChart chart =
      RenderedChart.render(
          Map.of(
              "worker.threads", 4,
              "orchestrator.settings.reelfarm\\.chunk\\.lease-seconds", 45,
              "worker.settings.reelfarm\\.worker\\.sampler", "euler",
              "encoder.settings.reelfarm\\.encoder\\.max-attempts", 5));

  /** The S3 store with every optional key and credentials from an existing Secret. */
  private final RenderedChart s3Chart =
      RenderedChart.render(
          Map.of(
              "artifacts.store", "s3",
              "artifacts.s3.endpoint", "http://minio.storage:9000",
              "artifacts.s3.prefix", "farm-a",
              "artifacts.s3.pathStyle", false,
              "artifacts.s3.presign", true,
              "artifacts.s3.presignExpirySeconds", 120,
              "artifacts.s3.existingSecret", "s3-credentials"));

  @Test
  void orchestratorVariablesNameItsKeysAndItsConfigurationLoads() {
    ReelfarmConfig orchestrator = orchestratorConfig(chart);
    assertThat(orchestrator.db().url())
        .isEqualTo(
            "jdbc:postgresql://reelfarm-postgresql.render.svc:5432/reelfarm?sslmode=disable");
    assertThat(orchestrator.chunk().leaseSeconds()).isEqualTo(45);
    assertThat(orchestrator.artifacts().store()).isEqualTo(ArtifactsConfig.Store.FS);
    assertThat(orchestrator.artifacts().dir()).hasToString("/var/lib/reelfarm/artifacts");
  }

  @Test
  void workerVariablesNameItsKeysAndItsConfigurationLoads() {
    SmallRyeConfig config = serviceConfig(chart, "worker", WorkerConfig.class, "reelfarm.worker");
    WorkerConfig worker = WorkerConfig.from(config);
    assertThat(worker.workerId()).isEqualTo("pod-name");
    assertThat(worker.intraOpThreads()).isEqualTo(4);
    assertThat(worker.cuda()).isTrue();
    assertThat(worker.sampler().orElseThrow().canonicalName()).isEqualTo("euler");
    assertThat(FarmConfig.of(config).model().bundle())
        .hasToString("/opt/reelfarm/models/tiny-shapes");
  }

  @Test
  void encoderVariablesNameItsKeysAndItsConfigurationLoads() {
    SmallRyeConfig config =
        serviceConfig(chart, "encoder", EncoderConfig.class, "reelfarm.encoder");
    EncoderConfig encoder = EncoderConfig.from(config);
    assertThat(encoder.encoderId()).isEqualTo("pod-name");
    assertThat(encoder.maxAttempts()).isEqualTo(5);
    assertThat(FarmConfig.of(config).kafka().bootstrap())
        .isEqualTo("reelfarm-kafka-bootstrap:9092");
  }

  @Test
  void s3StoreVariablesNameKeysOfEveryServiceAndItsStoreLoads() {
    List<ArtifactsConfig> stores =
        List.of(
            orchestratorConfig(s3Chart).artifacts(),
            FarmConfig.of(serviceConfig(s3Chart, "worker", WorkerConfig.class, "reelfarm.worker"))
                .artifacts(),
            FarmConfig.of(
                    serviceConfig(s3Chart, "encoder", EncoderConfig.class, "reelfarm.encoder"))
                .artifacts());

    for (ArtifactsConfig store : stores) {
      assertThat(store.store()).isEqualTo(ArtifactsConfig.Store.S3);
      assertThat(store.scratchDir())
          .hasValueSatisfying(dir -> assertThat(dir).hasToString("/var/lib/reelfarm/scratch"));
      ArtifactsConfig.S3 s3 = store.s3();
      assertThat(s3.endpoint()).hasValue("http://minio.storage:9000");
      assertThat(s3.region()).isEqualTo("us-east-1");
      assertThat(s3.bucket()).isEqualTo("reelfarm");
      assertThat(s3.prefix()).hasValue("farm-a");
      assertThat(s3.pathStyle()).isFalse();
      assertThat(s3.presign()).isTrue();
      assertThat(s3.presignExpirySeconds()).isEqualTo(120);
      assertThat(s3.accessKey()).hasValue("secret");
      assertThat(s3.secretKey()).hasValue("secret");
    }
  }

  /** The orchestrator's configuration from its variables, unknown keys refused. */
  private ReelfarmConfig orchestratorConfig(RenderedChart rendered) {
    Map<String, String> keys =
        keys(rendered, "orchestrator", ServiceConfigKeys.orchestrator().keySet());
    QUARKUS_KEYS.forEach(k -> assertThat(keys).containsKey(k));
    keys.keySet().removeAll(QUARKUS_KEYS);

    SmallRyeConfig config =
        FarmConfig.build(
            new SmallRyeConfigBuilder()
                .withMapping(ReelfarmConfig.class)
                .withValidateUnknown(true)
                .withSources(new PropertiesConfigSource(keys, "chart", 500)));
    return config.getConfigMapping(ReelfarmConfig.class);
  }

  /** The worker's or encoder's configuration from its variables. */
  private SmallRyeConfig serviceConfig(
      RenderedChart rendered, String component, Class<?> mapping, String prefix) {
    Map<String, String> keys =
        keys(rendered, component, ServiceConfigKeys.service(mapping, prefix).keySet());
    return FarmConfig.build(
        FarmConfig.builder(mapping).withSources(new PropertiesConfigSource(keys, "chart", 500)));
  }

  /**
   * The component's environment as configuration keys, each variable matched to the one key whose
   * environment name (SmallRye's: non-alphanumerics to {@code _}, upper case) it is. A variable
   * that matches no key fails the test, naming it.
   */
  private static Map<String, String> keys(
      RenderedChart rendered, String component, Set<String> known) {
    Set<String> candidates = new HashSet<>(known);
    candidates.addAll(QUARKUS_KEYS);
    Map<String, String> byEnvName = new LinkedHashMap<>();
    candidates.forEach(k -> byEnvName.put(envName(k), k));

    Map<String, String> keys = new LinkedHashMap<>();
    JsonNode container = RenderedChart.container(rendered.deployment(component));
    for (JsonNode var : container.path("env")) {
      String name = var.path("name").asText();
      assertThat(byEnvName)
          .as("%s sets %s, which names no key of its configuration", component, name)
          .containsKey(name);
      keys.put(byEnvName.get(name), value(rendered, var));
    }
    assertThat(keys).isNotEmpty();
    return keys;
  }

  /** A variable's value as the pod would see it (the ConfigMap's data, stand-ins for the rest). */
  private static String value(RenderedChart rendered, JsonNode var) {
    if (var.has("value")) return var.path("value").asText();
    JsonNode from = var.path("valueFrom");
    if (from.has("configMapKeyRef")) {
      JsonNode ref = from.path("configMapKeyRef");
      return rendered
          .get("ConfigMap", ref.path("name").asText())
          .path("data")
          .path(ref.path("key").asText())
          .asText();
    }
    if (from.has("secretKeyRef")) return "secret";
    if (from.has("fieldRef")) return "pod-name";
    throw new AssertionError("unexpected source of " + var);
  }

  private static String envName(String key) {
    StringBuilder env = new StringBuilder(key.length());
    for (char ch : key.toCharArray())
      env.append(Character.isLetterOrDigit(ch) ? Character.toUpperCase(ch) : '_');
    return env.toString();
  }
}
