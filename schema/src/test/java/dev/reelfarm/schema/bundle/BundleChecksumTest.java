package dev.reelfarm.schema.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleChecksumTest {

  @TempDir Path tmp;

  @Test
  void theSameFilesGiveTheSameChecksumWhereverAndInWhateverOrderTheyWereWritten()
      throws IOException {
    Path a = tmp.resolve("a");
    write(a, "bundle.json", "{}");
    write(a, "denoiser/model.onnx", "weights");
    Path b = tmp.resolve("elsewhere/b");
    write(b, "denoiser/model.onnx", "weights");
    write(b, "bundle.json", "{}");

    assertThat(BundleChecksum.of(a)).isEqualTo(BundleChecksum.of(b)).startsWith("sha256:");
    assertThat(BundleChecksum.of(a)).hasSize("sha256:".length() + 64);
  }

  @Test
  void aChangedRenamedAddedOrRemovedFileChangesTheChecksum() throws IOException {
    Path bundle = tmp.resolve("bundle");
    write(bundle, "bundle.json", "{}");
    write(bundle, "denoiser/model.onnx", "weights");
    String original = BundleChecksum.of(bundle);

    write(bundle, "denoiser/model.onnx", "weightz");
    String changed = BundleChecksum.of(bundle);
    write(bundle, "denoiser/model.onnx", "weights");
    assertThat(BundleChecksum.of(bundle)).isEqualTo(original);

    Files.move(bundle.resolve("denoiser/model.onnx"), bundle.resolve("denoiser/other.onnx"));
    String renamed = BundleChecksum.of(bundle);
    Files.move(bundle.resolve("denoiser/other.onnx"), bundle.resolve("denoiser/model.onnx"));

    write(bundle, "extra.txt", "");
    String added = BundleChecksum.of(bundle);
    Files.delete(bundle.resolve("extra.txt"));
    assertThat(BundleChecksum.of(bundle)).isEqualTo(original);

    Files.delete(bundle.resolve("denoiser/model.onnx"));
    String removed = BundleChecksum.of(bundle);

    assertThat(List.of(changed, renamed, added, removed))
        .doesNotContain(original)
        .doesNotHaveDuplicates();
  }

  private static void write(Path dir, String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
