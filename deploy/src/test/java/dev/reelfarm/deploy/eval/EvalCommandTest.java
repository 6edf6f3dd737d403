package dev.reelfarm.deploy.eval;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.deploy.local.Args;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
}
