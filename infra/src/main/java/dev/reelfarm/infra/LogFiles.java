package dev.reelfarm.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the end of a service's log. */
final class LogFiles {

  /** The last {@code n} lines of {@code file} (reads at most the last 256 KiB). */
  static List<String> tail(Path file, int n) {
    if (file == null || !Files.exists(file)) return List.of();
    try (var raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, 256 * 1024);
      byte[] bytes = new byte[size];
      raf.seek(length - size);
      raf.readFully(bytes);
      String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
      int from = Math.max(0, lines.length - n);
      // The first line may be cut when the file is larger than what was read.
      if (from == 0 && size < length && lines.length > 1) from = 1;
      return List.of(lines).subList(from, lines.length);
    } catch (IOException e) {
      return List.of("(could not read " + file + ": " + e.getMessage() + ")");
    }
  }

  private LogFiles() {}
}
