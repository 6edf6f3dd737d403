package dev.reelfarm.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.schema.config.InvalidConfigException;
import dev.reelfarm.worker.diffusion.SamplerAlgorithm;
import dev.reelfarm.worker.runtime.FaultInjectingRenderer;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  /** The worker's configuration from these system properties and environment variables only. */
  private static SmallRyeConfig sources(Map<String, String> properties, Map<String, String> env) {
    return FarmConfig.build(
        FarmConfig.builder(WorkerConfig.class)
            .withSources(
                new PropertiesConfigSource(properties, "system properties", 400),
                new EnvConfigSource(env, 300)));
  }

  private static WorkerConfig worker(Map<String, String> properties, Map<String, String> env) {
    return WorkerConfig.from(sources(properties, env));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    SmallRyeConfig sources = sources(Map.of(), Map.of());
    WorkerConfig config = WorkerConfig.from(sources);
    FarmConfig farm = FarmConfig.of(sources);

    assertThat(config.workerId()).isEqualTo("worker-" + ProcessHandle.current().pid());
    assertThat(config.intraOpThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.cuda()).isTrue();
    assertThat(config.sampler()).isEmpty();
    assertThat(config.heartbeatMs()).isEqualTo(2000);
    assertThat(config.stepEventMs()).isEqualTo(1000);
    assertThat(config.previewMs()).isEqualTo(2000);
    assertThat(config.simulateStepMs()).isZero();
    assertThat(config.simulated()).isFalse();
    assertThat(config.nodes()).isEqualTo(1);
    assertThat(config.nodeId(1)).isEqualTo(config.workerId());
    assertThat(config.httpPort()).isEqualTo(8081);
    assertThat(config.fault().faults()).isEqualTo(FaultInjectingRenderer.Faults.NONE);
    assertThat(config.fault().faults().any()).isFalse();
    assertThat(farm.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(farm.artifacts().dir()).isEqualTo(Path.of(".reelfarm/artifacts"));
    assertThat(farm.model().bundle()).isEqualTo(Path.of("models/tiny-shapes"));
  }

  @Test
  void environmentVariablesSetDashedKeysAndSystemPropertiesWin() {
    WorkerConfig config =
        worker(
            Map.of("reelfarm.worker.threads", "3"),
            Map.of(
                "REELFARM_WORKER_THREADS",
                "7",
                "REELFARM_WORKER_STEP_EVENT_MS",
                "250",
                "REELFARM_WORKER_SIMULATE_STEP_MS",
                "100",
                "REELFARM_WORKER_NODES",
                "4",
                "REELFARM_WORKER_ID",
                "gpu-a",
                "REELFARM_WORKER_SAMPLER",
                "dpmsolver++",
                "REELFARM_WORKER_CUDA",
                "false"));

    assertThat(config.intraOpThreads()).isEqualTo(3);
    assertThat(config.stepEventMs()).isEqualTo(250);
    assertThat(config.simulated()).isTrue();
    assertThat(config.nodeId(2)).isEqualTo("gpu-a-2");
    assertThat(config.sampler()).contains(SamplerAlgorithm.DPM_SOLVER_PLUS_PLUS_2M);
    assertThat(config.cuda()).isFalse();
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.threads", "many"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.worker.threads")
        .hasMessageContaining("many");
  }

  @Test
  void anUnknownSamplerIsRefusedListingTheRegistry() {
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.sampler", "heun"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.worker.sampler")
        .hasMessageContaining(
            "unknown sampler 'heun' (ddim, euler, dpm++2m, dpmsolver++, flow-euler");
  }

  @Test
  void aMistypedWorkerKeyStopsTheWorkerNamingIt() {
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.thread", "4"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.worker.thread");
  }

  @Test
  void theOtherServicesAndSharedKeysOfTheFarmsNamespaceAreAccepted() {
    WorkerConfig config =
        worker(
            Map.of(
                "reelfarm.db.url",
                "jdbc:postgresql://db/reelfarm",
                "reelfarm.encoder.id",
                "enc-1",
                "reelfarm.encoder.max-attempts",
                "3",
                "reelfarm.planning.overlap-frames",
                "1",
                "reelfarm.dispatch.max-in-flight",
                "64",
                "reelfarm.kafka.bootstrap",
                "kafka:9092",
                "reelfarm.artifacts.dir",
                "/srv/a",
                "reelfarm.model.bundle",
                "/opt/m",
                "quarkus.http.port",
                "8080"),
            Map.of("REELFARM_DB_PASSWORD", "secret", "REELFARM_ENCODER_RETRY_BACKOFF_MS", "10"));

    assertThat(config.nodes()).isEqualTo(1);
  }

  @Test
  void severalNodesNeedSimulatedDenoising() {
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.nodes", "2"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.worker.nodes > 1 needs reelfarm.worker.simulate-step-ms");
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.simulate-step-ms", "-1"), Map.of()))
        .hasMessageContaining("reelfarm.worker.simulate-step-ms must be >= 0");
  }

  @Test
  void faultInjectionIsANestedGroupOfTestOnlySettings() {
    WorkerConfig config =
        worker(
            Map.of(
                "reelfarm.worker.fault.hang-at-step", "3",
                "reelfarm.worker.fault.hang-ms", "15000",
                "reelfarm.worker.fault.fail-every-chunk", "true",
                "reelfarm.worker.http-port", "0"),
            Map.of("REELFARM_WORKER_FAULT_CRASH_ON_PROMPT", "POISON"));

    assertThat(config.fault().faults())
        .isEqualTo(new FaultInjectingRenderer.Faults(3, 15000, true, "POISON"));
    assertThat(config.httpPort()).isZero();
  }

  @Test
  void badFaultSettingsAndPortsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.fault.hang-ms", "-2"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.worker.fault.hang-ms must be >= -1");
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.fault.hang-at-step", "-1"), Map.of()))
        .hasMessageContaining("reelfarm.worker.fault.hang-at-step must be >= 0");
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.fault.crash-on-prompt", " "), Map.of()))
        .hasMessageContaining("reelfarm.worker.fault.crash-on-prompt must not be blank");
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.http-port", "70000"), Map.of()))
        .hasMessageContaining("reelfarm.worker.http-port must be 0..65535");
    assertThatThrownBy(() -> worker(Map.of("reelfarm.worker.fault.hang", "1"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.worker.fault.hang");
  }
}
