package dev.reelfarm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules on the compiled main classes of every module (the modules are this module's test-scope
 * dependencies, without theirs: ArchUnit reads class files and needs nothing it refers to).
 */
class ArchitectureTest {

  /** Frameworks and I/O libraries the pure core must not touch. */
  private static final String[] FRAMEWORKS_AND_IO = {
    "io.quarkus..",
    "io.smallrye..",
    "jakarta..",
    "javax.sql..",
    "java.sql..",
    "org.apache.kafka..",
    "ai.onnxruntime..",
    "org.bytedeco..",
    "org.jboss..",
    "io.vertx..",
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.reelfarm");
  }

  /** A rule over an incomplete import would pass for the wrong reason. */
  @Test
  void theClassesOfEveryModuleAreImported() {
    assertThat(
            java.util.List.of(
                "dev.reelfarm.schema.messages.ChunkEvent",
                "dev.reelfarm.infra.KafkaBroker",
                "dev.reelfarm.testing.PostgresExtension",
                "dev.reelfarm.orchestrator.lifecycle.RenderLifecycle",
                "dev.reelfarm.worker.runtime.DenoiseLoop",
                "dev.reelfarm.encoder.media.Mp4Encoder",
                "dev.reelfarm.mediaqa.VideoProbe",
                "dev.reelfarm.launcher.LocalFarm",
                "dev.reelfarm.eval.EvalReport",
                "dev.reelfarm.cli.ReelfarmCli"))
        .allMatch(classes::contain);
  }

  @Test
  void thePureCoreImportsNoFrameworkOrIoLibrary() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(PURE_CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FRAMEWORKS_AND_IO)
            .because(
                "planning, scheduling policy, the prompt matcher, diffusion math and stitching"
                    + " stay pure");
    rule.check(classes);
  }

  @Test
  void thePureCoreReadsNoFilesOrNetwork() {
    noClasses()
        .that()
        .resideInAnyPackage(PURE_CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.nio.file..", "java.net..")
        .because("adapters at the edges do I/O; the core takes and returns plain values")
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.reelfarm.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void servicesDoNotDependOnEachOther() {
    for (String service : SERVICES) {
      String[] others =
          java.util.Arrays.stream(SERVICES_AND_TOOLS)
              .filter(p -> !p.equals(service))
              .toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage(service)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(others)
          .because("services talk through schema contracts and Kafka, not each other's classes")
          .check(classes);
    }
  }

  @Test
  void sharedModulesDependOnNoService() {
    noClasses()
        .that()
        .resideInAnyPackage(SHARED)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SERVICES_AND_TOOLS)
        .check(classes);
  }

  private static final String[] PURE_CORE = {
    "dev.reelfarm.orchestrator.planning..",
    "dev.reelfarm.orchestrator.scheduling..",
    "dev.reelfarm.orchestrator.policy..",
    "dev.reelfarm.worker.diffusion..",
    "dev.reelfarm.encoder.stitching..",
  };

  private static final String[] SERVICES = {
    "dev.reelfarm.orchestrator..", "dev.reelfarm.worker..", "dev.reelfarm.encoder..",
  };

  private static final String[] SERVICES_AND_TOOLS = {
    "dev.reelfarm.orchestrator..",
    "dev.reelfarm.worker..",
    "dev.reelfarm.encoder..",
    "dev.reelfarm.launcher..",
    "dev.reelfarm.cli..",
    "dev.reelfarm.eval..",
    "dev.reelfarm.deploy..",
  };

  private static final String[] SHARED = {
    "dev.reelfarm.schema..",
    "dev.reelfarm.infra..",
    "dev.reelfarm.testing..",
    "dev.reelfarm.mediaqa..",
  };
}
