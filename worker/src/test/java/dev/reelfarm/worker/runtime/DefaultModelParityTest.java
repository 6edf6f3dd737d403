package dev.reelfarm.worker.runtime;

import dev.reelfarm.worker.model.Fixtures;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same parity checks on the default model's own golden fixture: the {@code @Test} methods (and
 * their assertions) are inherited from {@link GoldenParityTest}; only the bundle differs.
 */
class DefaultModelParityTest extends GoldenParityTest {
  @BeforeAll
  static void load() throws Exception {
    load(Fixtures.repoPath("models/tiny-shapes"));
  }
}
