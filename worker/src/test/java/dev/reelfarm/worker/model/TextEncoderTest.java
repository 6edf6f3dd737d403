package dev.reelfarm.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Maven all-MiniLM-L6-v2 encoder as the worker loads it. */
class TextEncoderTest {
  private static final int MAX_TOKENS = 24;

  @Test
  void tokenizesWithSpecialTokensAndPadsOnlyToTheFixedLength() throws Exception {
    try (TextEncoder encoder = new TextEncoder(new OrtSessions(1, false), MAX_TOKENS)) {
      TextEncoder.Embedding e =
          encoder.encode(List.of("a red circle", "word ".repeat(3 * MAX_TOKENS)));

      assertThat(e.batch()).isEqualTo(2);
      assertThat(e.tokens()).isEqualTo(MAX_TOKENS);
      assertThat(e.hidden()).hasSize(2 * MAX_TOKENS * TextEncoder.HIDDEN_SIZE);
      assertThat(attended(e, 0)).as("[CLS] a red circle [SEP]").isEqualTo(5);
      assertThat(attended(e, 1))
          .as("a long prompt truncated to the fixed length")
          .isEqualTo(MAX_TOKENS);
    }
  }

  /** A worker killed with SIGKILL never runs deleteOnExit: loading must leave no file behind. */
  @Test
  void loadingTheTokenizerLeavesNoTemporaryFile() throws Exception {
    List<Path> before = tokenizerCopies();
    try (TextEncoder encoder = new TextEncoder(new OrtSessions(1, false), MAX_TOKENS)) {
      assertThat(tokenizerCopies()).isEqualTo(before);
    }
  }

  private static int attended(TextEncoder.Embedding e, int prompt) {
    int n = 0;
    for (int t = 0; t < e.tokens(); t++) if (e.mask()[prompt * e.tokens() + t] > 0.5f) n++;
    return n;
  }

  private static List<Path> tokenizerCopies() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("minilm-tokenizer"))
          .sorted()
          .toList();
    }
  }
}
