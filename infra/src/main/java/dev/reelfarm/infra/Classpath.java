package dev.reelfarm.infra;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The effective classpath of this JVM as a list of files, for starting child JVMs (the Kafka
 * broker) from the same jars.
 *
 * <p>{@code java.class.path} alone is not enough: {@code java -jar reelfarm-launcher.jar} and
 * surefire/failsafe's manifest-only jars list their real entries in the jar's {@code Class-Path}
 * manifest attribute, so those are expanded (recursively, relative to the jar's directory).
 */
public final class Classpath {

  public static List<Path> current() {
    Set<Path> out = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isBlank()) add(Path.of(entry).toAbsolutePath().normalize(), out);
    }
    return new ArrayList<>(out);
  }

  public static String join(List<Path> entries) {
    var sb = new StringBuilder();
    for (Path p : entries) {
      if (sb.length() > 0) sb.append(File.pathSeparatorChar);
      sb.append(p);
    }
    return sb.toString();
  }

  private static void add(Path entry, Set<Path> out) {
    if (!Files.exists(entry) || !out.add(entry) || !Files.isRegularFile(entry)) return;
    String manifestClassPath;
    try (var jar = new JarFile(entry.toFile())) {
      var manifest = jar.getManifest();
      manifestClassPath =
          manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
    } catch (IOException e) {
      return; // not a jar: nothing to expand
    }
    if (manifestClassPath == null) return;
    for (String ref : manifestClassPath.trim().split("\\s+")) {
      if (ref.isEmpty()) continue;
      try {
        // Class-Path entries are URLs relative to the jar's location.
        URI resolved = entry.getParent().toUri().resolve(ref);
        if ("file".equals(resolved.getScheme())) add(Path.of(resolved).normalize(), out);
      } catch (IllegalArgumentException e) {
        // A malformed entry is ignored, as the JVM itself does.
      }
    }
  }

  private Classpath() {}
}
