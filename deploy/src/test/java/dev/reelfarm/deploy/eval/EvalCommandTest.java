package dev.reelfarm.deploy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.deploy.local.Args;
import dev.reelfarm.schema.api.RenderMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalCommandTest {
  private final PrintStream sink = new PrintStream(new ByteArrayOutputStream());

  @Test
  void unknownModeIsRefusedBeforeAFarmStarts() {
    assertThatThrownBy(() -> new EvalCommand(sink, sink).run(List.of("--mode", "parallel")))
        .isInstanceOf(Args.UsageException.class)
        .hasMessageContaining("--mode must be one of sequential, anchored, independent, not 'parallel'");
  }

  @Test
  void knowsExactlyTheOrchestratorsRenderModes() {
    // RenderMode moved to schema.api (H1): compared directly instead of parsing its source.
    assertThat(EvalCommand.MODES).containsExactlyInAnyOrderElementsOf(Arrays.stream(RenderMode.values()).map(RenderMode::id).toList());
  }
}
