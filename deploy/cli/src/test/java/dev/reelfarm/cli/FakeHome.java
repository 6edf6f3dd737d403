package dev.reelfarm.cli;

import dev.reelfarm.infra.Classpath;
import dev.reelfarm.launcher.RepoLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * A stand-in checkout for the launcher's tests: the {@code reelfarm} script and pom.xml that mark
 * the root, the three services' jars (manifest-only jars that run {@link FakeService} from this
 * test classpath) and a bundle.json in the fixture bundle's place.
 */
final class FakeHome {

  static RepoLayout create(Path root) throws IOException {
    Files.createDirectories(root);
    Files.writeString(root.resolve("reelfarm"), "#!/bin/sh\n");
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    var layout = new RepoLayout(root.toAbsolutePath());
    for (Path jar : List.of(layout.orchestratorJar(), layout.workerJar(), layout.encoderJar())) {
      writeLauncherJar(jar);
    }
    Path bundle = root.resolve(RepoLayout.FIXTURE_BUNDLE);
    Files.createDirectories(bundle);
    Files.writeString(bundle.resolve("bundle.json"), "{\"name\":\"fake\",\"testFixture\":true}\n");
    return layout;
  }

  private static void writeLauncherJar(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    var manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
    main.put(
        Attributes.Name.CLASS_PATH,
        Classpath.current().stream()
            .map(p -> p.toUri().toString()) // directories get their trailing slash
            .collect(Collectors.joining(" ")));
    try (OutputStream out = Files.newOutputStream(jar);
        var jarOut = new JarOutputStream(out, manifest)) {
      // a manifest-only jar, like surefire's
    }
  }

  private FakeHome() {}
}
