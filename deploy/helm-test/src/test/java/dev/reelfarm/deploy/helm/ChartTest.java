package dev.reelfarm.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.reelfarm.schema.messages.Topic;
import dev.reelfarm.schema.messages.Topics;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The chart as Helm renders it: what a cluster would be given, with defaults and toggles. */
class ChartTest {
  private static final String PREFIX = RenderedChart.RELEASE + "-reelfarm-";

  private final RenderedChart defaults = RenderedChart.render();

  @Test
  void helmLintFindsNothingInStrictMode() {
    LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();

    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void defaultsRenderTheFarmsServicesOnExternalKafkaAndPostgres() {
    assertThat(defaults.kinds())
        .containsExactlyInAnyOrder(
            "ConfigMap",
            "Secret",
            "PersistentVolumeClaim",
            "Deployment",
            "Service",
            "Deployment",
            "Deployment",
            "TriggerAuthentication",
            "ScaledObject");
    assertThat(defaults.deployment("orchestrator").at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode service = defaults.get("Service", PREFIX + "orchestrator");
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    assertThat(service.at("/spec/selector/app.kubernetes.io~1component").asText())
        .isEqualTo("orchestrator");
  }

  @Test
  void everyContainerHasLivenessAndReadinessOnItsHealthPort() {
    Map<String, Integer> ports = Map.of("orchestrator", 8080, "worker", 8081, "encoder", 8082);
    ports.forEach(
        (component, port) -> {
          JsonNode c = RenderedChart.container(defaults.deployment(component));
          assertThat(c.at("/ports/0/name").asText()).isEqualTo("http");
          assertThat(c.at("/ports/0/containerPort").asInt()).as(component).isEqualTo(port);
          assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
          assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
          assertThat(c.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
          assertThat(c.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
        });
    assertThat(defaults.containers()).hasSize(3);
  }

  @Test
  void everyPodIsScrapedForMetricsOnItsHttpPort() {
    Map<String, String> ports = Map.of("orchestrator", "8080", "worker", "9181", "encoder", "8082");
    RenderedChart chart = RenderedChart.render(Map.of("worker.httpPort", 9181));
    ports.forEach(
        (component, port) -> {
          JsonNode annotations =
              chart.deployment(component).at("/spec/template/metadata/annotations");
          assertThat(annotations.path("prometheus.io/scrape").asText())
              .as(component)
              .isEqualTo("true");
          assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
          assertThat(annotations.path("prometheus.io/port").asText()).as(component).isEqualTo(port);
        });
  }

  @Test
  void healthPortsComeFromValuesSoTheServicesAndProbesAgree() {
    RenderedChart chart =
        RenderedChart.render(Map.of("worker.httpPort", 9181, "encoder.httpPort", 9182));

    JsonNode worker = RenderedChart.container(chart.deployment("worker"));
    JsonNode encoder = RenderedChart.container(chart.deployment("encoder"));
    assertThat(worker.at("/ports/0/containerPort").asInt()).isEqualTo(9181);
    assertThat(env(worker)).containsEntry("REELFARM_WORKER_HTTP_PORT", "9181");
    assertThat(encoder.at("/ports/0/containerPort").asInt()).isEqualTo(9182);
    assertThat(env(encoder)).containsEntry("REELFARM_ENCODER_HTTP_PORT", "9182");
  }

  @Test
  void everyPodRunsAsNonRootOnAReadOnlyRootFileSystem() {
    for (JsonNode d : defaults.ofKind("Deployment")) {
      JsonNode pod = d.at("/spec/template/spec/securityContext");
      assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
      assertThat(pod.path("runAsUser").asInt()).isGreaterThan(0);
      JsonNode c = RenderedChart.container(d).path("securityContext");
      assertThat(c.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
      assertThat(c.path("readOnlyRootFilesystem").asBoolean()).isTrue();
      assertThat(c.at("/capabilities/drop/0").asText()).isEqualTo("ALL");
    }
  }

  @Test
  void gpuWorkersRequestAGpuOnGpuNodesWithTheCudaImage() {
    JsonNode worker = defaults.deployment("worker");
    JsonNode c = RenderedChart.container(worker);

    assertThat(c.at("/resources/requests/nvidia.com~1gpu").asInt()).isEqualTo(1);
    assertThat(c.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
    assertThat(c.at("/resources/requests/cpu").asText()).isEqualTo("2");
    assertThat(c.path("image").asText()).isEqualTo("reelfarm/worker-cuda:0.1.0");
    assertThat(env(c)).containsEntry("REELFARM_WORKER_CUDA", "true");
    JsonNode pod = worker.at("/spec/template/spec");
    assertThat(pod.at("/nodeSelector/nvidia.com~1gpu.present").asText()).isEqualTo("true");
    assertThat(pod.at("/tolerations/0/key").asText()).isEqualTo("nvidia.com/gpu");
  }

  @Test
  void cpuOnlyWorkersRequestNoGpuAndRunTheCpuImageAnywhere() {
    RenderedChart chart = RenderedChart.render(Map.of("worker.gpu.enabled", false));
    JsonNode worker = chart.deployment("worker");
    JsonNode c = RenderedChart.container(worker);

    assertThat(c.at("/resources/requests").has("nvidia.com/gpu")).isFalse();
    assertThat(c.at("/resources/limits").has("nvidia.com/gpu")).isFalse();
    assertThat(c.path("image").asText()).isEqualTo("reelfarm/worker:0.1.0");
    assertThat(env(c)).containsEntry("REELFARM_WORKER_CUDA", "false");
    assertThat(worker.at("/spec/template/spec").has("nodeSelector")).isFalse();
    assertThat(worker.at("/spec/template/spec").has("tolerations")).isFalse();
  }

  @Test
  void everyWorkerAndEncoderPodHasItsOwnIdInTheFarm() {
    JsonNode worker = RenderedChart.container(defaults.deployment("worker"));
    JsonNode encoder = RenderedChart.container(defaults.deployment("encoder"));

    assertThat(fieldRef(worker, "REELFARM_WORKER_ID")).isEqualTo("metadata.name");
    assertThat(fieldRef(encoder, "REELFARM_ENCODER_ID")).isEqualTo("metadata.name");
  }

  @Test
  void kedaScalesTheWorkersOnChunksWantingAWorkerFromPostgres() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "worker.autoscaling.minReplicas",
                0,
                "worker.autoscaling.maxReplicas",
                24,
                "postgresql.host",
                "pg.db.svc",
                "postgresql.existingSecret",
                "pg-credentials"));
    JsonNode scaled = chart.get("ScaledObject", PREFIX + "worker");

    assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo(PREFIX + "worker");
    assertThat(scaled.at("/spec/minReplicaCount").asInt()).isZero();
    assertThat(scaled.at("/spec/maxReplicaCount").asInt()).isEqualTo(24);
    JsonNode trigger = scaled.at("/spec/triggers/0");
    assertThat(trigger.path("type").asText()).isEqualTo("postgresql");
    JsonNode meta = trigger.path("metadata");
    assertThat(meta.path("query").asText())
        .isEqualTo("SELECT count(*) FROM chunk WHERE status IN ('READY', 'DISPATCHED', 'RUNNING')");
    assertThat(meta.path("targetQueryValue").asText()).isEqualTo("1");
    assertThat(meta.path("host").asText()).isEqualTo("pg.db.svc");
    assertThat(meta.path("dbName").asText()).isEqualTo("reelfarm");
    JsonNode auth =
        chart.get("TriggerAuthentication", trigger.at("/authenticationRef/name").asText());
    assertThat(auth.at("/spec/secretTargetRef/0/parameter").asText()).isEqualTo("password");
    assertThat(auth.at("/spec/secretTargetRef/0/name").asText()).isEqualTo("pg-credentials");
    // KEDA owns the replica count: a fixed one would fight it on every upgrade.
    assertThat(chart.deployment("worker").at("/spec").has("replicas")).isFalse();
    assertThat(chart.kinds()).doesNotContain("Secret");
  }

  @Test
  void aBareDatabaseServiceNameIsQualifiedWithTheReleasesNamespaceForKeda() {
    JsonNode meta = defaults.get("ScaledObject", PREFIX + "worker").at("/spec/triggers/0/metadata");

    assertThat(meta.path("host").asText()).isEqualTo("reelfarm-postgresql.render.svc");
    assertThat(defaults.get("ConfigMap", PREFIX + "config").at("/data/db-url").asText())
        .isEqualTo(
            "jdbc:postgresql://reelfarm-postgresql.render.svc:5432/reelfarm?sslmode=disable");
  }

  @Test
  void withoutKedaTheWorkerCountIsFixed() {
    RenderedChart chart =
        RenderedChart.render(Map.of("worker.autoscaling.enabled", false, "worker.replicas", 3));

    assertThat(chart.kinds()).doesNotContain("ScaledObject", "TriggerAuthentication");
    assertThat(chart.deployment("worker").at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void strimziTopicsHaveThePartitionCountsOfTopics() {
    RenderedChart chart = RenderedChart.render(Map.of("kafka.strimzi.createTopics", true));

    Map<String, Integer> rendered =
        chart.ofKind("KafkaTopic").stream()
            .collect(
                Collectors.toMap(
                    t -> t.at("/spec/topicName").asText(), t -> t.at("/spec/partitions").asInt()));
    Map<String, Integer> expected =
        Topics.all().stream().collect(Collectors.toMap(Topic::name, Topic::partitions));
    assertThat(rendered).isEqualTo(expected);
    assertThat(chart.ofKind("KafkaTopic"))
        .allSatisfy(
            t -> assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText()).isNotEmpty());
    assertThat(defaults.kinds()).doesNotContain("KafkaTopic");
  }

  @Test
  void cloudNativePgClusterBecomesTheFarmsDatabase() {
    RenderedChart chart = RenderedChart.render(Map.of("postgresql.cloudnativepg.enabled", true));
    JsonNode cluster = chart.get("Cluster", PREFIX + "db");

    assertThat(cluster.path("apiVersion").asText()).isEqualTo("postgresql.cnpg.io/v1");
    assertThat(cluster.at("/spec/bootstrap/initdb/database").asText()).isEqualTo("reelfarm");
    JsonNode config = chart.get("ConfigMap", PREFIX + "config");
    assertThat(config.at("/data/db-url").asText())
        .isEqualTo(
            "jdbc:postgresql://farm-reelfarm-db-rw.render.svc:5432/reelfarm?sslmode=disable");
    JsonNode orchestrator = RenderedChart.container(chart.deployment("orchestrator"));
    assertThat(secretRef(orchestrator, "REELFARM_DB_PASSWORD")).isEqualTo(PREFIX + "db-app");
    assertThat(chart.kinds()).doesNotContain("Secret");
    assertThat(defaults.kinds()).doesNotContain("Cluster");
  }

  @Test
  void everyServiceSharesOneReadWriteManyArtifactVolume() {
    JsonNode claim = defaults.get("PersistentVolumeClaim", PREFIX + "artifacts");
    assertThat(claim.at("/spec/accessModes/0").asText()).isEqualTo("ReadWriteMany");
    for (JsonNode d : defaults.ofKind("Deployment")) {
      assertThat(d.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText())
          .isEqualTo(PREFIX + "artifacts");
      JsonNode c = RenderedChart.container(d);
      assertThat(c.at("/volumeMounts/0/mountPath").asText())
          .isEqualTo("/var/lib/reelfarm/artifacts");
      assertThat(configRef(c, "REELFARM_ARTIFACTS_DIR")).isEqualTo("artifacts-dir");
    }
    JsonNode config = defaults.get("ConfigMap", PREFIX + "config");
    assertThat(config.at("/data/artifacts-dir").asText()).isEqualTo("/var/lib/reelfarm/artifacts");
  }

  @Test
  void theS3StoreGivesEveryPodItsOwnScratchVolumeAndNoSharedClaim() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "artifacts.store", "s3",
                "artifacts.s3.endpoint", "http://minio.storage:9000",
                "artifacts.s3.bucket", "renders",
                "artifacts.s3.prefix", "farm-a",
                "artifacts.s3.presign", true,
                "artifacts.s3.existingSecret", "s3-credentials",
                "artifacts.s3.accessKeyKey", "id",
                "artifacts.s3.secretKeyKey", "key"));

    assertThat(chart.kinds()).doesNotContain("PersistentVolumeClaim");
    JsonNode config = chart.get("ConfigMap", PREFIX + "config").path("data");
    assertThat(config.path("artifacts-store").asText()).isEqualTo("s3");
    assertThat(config.path("artifacts-scratch-dir").asText())
        .isEqualTo("/var/lib/reelfarm/scratch");
    assertThat(config.path("artifacts-s3-endpoint").asText())
        .isEqualTo("http://minio.storage:9000");
    assertThat(config.path("artifacts-s3-region").asText()).isEqualTo("us-east-1");
    assertThat(config.path("artifacts-s3-bucket").asText()).isEqualTo("renders");
    assertThat(config.path("artifacts-s3-prefix").asText()).isEqualTo("farm-a");
    assertThat(config.path("artifacts-s3-path-style").asText()).isEqualTo("true");
    assertThat(config.path("artifacts-s3-presign").asText()).isEqualTo("true");
    assertThat(config.path("artifacts-s3-presign-expiry-seconds").asText()).isEqualTo("900");
    assertThat(config.has("artifacts-dir")).isFalse();
    for (JsonNode d : chart.ofKind("Deployment")) {
      JsonNode volume = d.at("/spec/template/spec/volumes/0");
      assertThat(volume.path("name").asText()).isEqualTo("scratch");
      assertThat(volume.has("emptyDir")).isTrue();
      JsonNode c = RenderedChart.container(d);
      assertThat(c.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/var/lib/reelfarm/scratch");
      assertThat(configRef(c, "REELFARM_ARTIFACTS_STORE")).isEqualTo("artifacts-store");
      assertThat(configRef(c, "REELFARM_ARTIFACTS_SCRATCH_DIR")).isEqualTo("artifacts-scratch-dir");
      assertThat(configRef(c, "REELFARM_ARTIFACTS_S3_ENDPOINT")).isEqualTo("artifacts-s3-endpoint");
      assertThat(configRef(c, "REELFARM_ARTIFACTS_S3_PRESIGN")).isEqualTo("artifacts-s3-presign");
      assertThat(secretRef(c, "REELFARM_ARTIFACTS_S3_ACCESS_KEY")).isEqualTo("s3-credentials");
      assertThat(secretKey(c, "REELFARM_ARTIFACTS_S3_ACCESS_KEY")).isEqualTo("id");
      assertThat(secretRef(c, "REELFARM_ARTIFACTS_S3_SECRET_KEY")).isEqualTo("s3-credentials");
      assertThat(secretKey(c, "REELFARM_ARTIFACTS_S3_SECRET_KEY")).isEqualTo("key");
    }
    assertThat(chart.ofKind("Secret"))
        .extracting(s -> s.at("/metadata/name").asText())
        .containsExactly(PREFIX + "db");
  }

  @Test
  void s3CredentialsGivenAsValuesGoIntoTheChartsSecret() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "artifacts.store", "s3",
                "artifacts.s3.accessKey", "AKIA-test",
                "artifacts.s3.secretKey", "s3cr3t"));

    JsonNode secret = chart.get("Secret", PREFIX + "s3");
    assertThat(secret.at("/stringData/access-key").asText()).isEqualTo("AKIA-test");
    assertThat(secret.at("/stringData/secret-key").asText()).isEqualTo("s3cr3t");
    JsonNode worker = RenderedChart.container(chart.deployment("worker"));
    assertThat(secretRef(worker, "REELFARM_ARTIFACTS_S3_ACCESS_KEY")).isEqualTo(PREFIX + "s3");
    assertThat(secretKey(worker, "REELFARM_ARTIFACTS_S3_SECRET_KEY")).isEqualTo("secret-key");
    // Optional keys left empty stay out: the services' defaults apply (AWS S3, no prefix).
    JsonNode config = chart.get("ConfigMap", PREFIX + "config").path("data");
    assertThat(config.has("artifacts-s3-endpoint")).isFalse();
    assertThat(config.has("artifacts-s3-prefix")).isFalse();
  }

  @Test
  void s3WithoutCredentialsLeavesThemToTheSdksDefaultChain() {
    RenderedChart chart = RenderedChart.render(Map.of("artifacts.store", "s3"));

    assertThat(chart.kinds()).containsOnlyOnce("Secret");
    for (JsonNode c : chart.containers())
      assertThat(c.path("env"))
          .noneMatch(e -> e.path("name").asText().startsWith("REELFARM_ARTIFACTS_S3_ACCESS"));
  }

  @Test
  void theFsStoreIsTheDefaultAndAnUnknownStoreFailsTheRelease() {
    JsonNode orchestrator = RenderedChart.container(defaults.deployment("orchestrator"));
    assertThat(configRef(orchestrator, "REELFARM_ARTIFACTS_STORE")).isEqualTo("artifacts-store");
    assertThat(defaults.get("ConfigMap", PREFIX + "config").at("/data/artifacts-store").asText())
        .isEqualTo("fs");
    assertThat(defaults.text()).doesNotContain("REELFARM_ARTIFACTS_S3_");

    assertThatThrownBy(() -> RenderedChart.render(Map.of("artifacts.store", "gcs")))
        .hasMessageContaining("artifacts.store must be fs or s3");
  }

  @Test
  void settingsBecomeTheServicesEnvironmentVariables() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "orchestrator.settings.reelfarm\\.dispatch\\.max-in-flight",
                128,
                "worker.settings.reelfarm\\.worker\\.sampler",
                "euler"));

    assertThat(env(RenderedChart.container(chart.deployment("orchestrator"))))
        .containsEntry("REELFARM_DISPATCH_MAX_IN_FLIGHT", "128");
    assertThat(env(RenderedChart.container(chart.deployment("worker"))))
        .containsEntry("REELFARM_WORKER_SAMPLER", "euler");
    // Helm output without trailing blanks: an empty settings map leaves no blank env line.
    assertThat(chart.text()).doesNotContainPattern("(?m)[ \\t]+$");
    assertThat(defaults.text()).doesNotContainPattern("(?m)[ \\t]+$");
  }

  /** The container's environment variables with literal values. */
  static Map<String, String> env(JsonNode container) {
    return StreamSupport.stream(container.path("env").spliterator(), false)
        .filter(e -> e.has("value"))
        .collect(Collectors.toMap(e -> e.path("name").asText(), e -> e.path("value").asText()));
  }

  private static JsonNode envVar(JsonNode container, String name) {
    return StreamSupport.stream(container.path("env").spliterator(), false)
        .filter(e -> name.equals(e.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + container.path("env")));
  }

  private static String fieldRef(JsonNode container, String name) {
    return envVar(container, name).at("/valueFrom/fieldRef/fieldPath").asText();
  }

  private static String secretRef(JsonNode container, String name) {
    return envVar(container, name).at("/valueFrom/secretKeyRef/name").asText();
  }

  private static String secretKey(JsonNode container, String name) {
    return envVar(container, name).at("/valueFrom/secretKeyRef/key").asText();
  }

  private static String configRef(JsonNode container, String name) {
    return envVar(container, name).at("/valueFrom/configMapKeyRef/key").asText();
  }
}
