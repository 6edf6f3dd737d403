package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class EvalCommandTest {
  private final PrintStream sink = new PrintStream(new ByteArrayOutputStream());

  @Test
  void unknownModeIsRefusedBeforeAFarmStarts() {
    assertThatThrownBy(
            () -> new CommandLine(new EvalCommand(sink, sink)).parseArgs("--mode", "parallel"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining(
            "--mode must be one of sequential, anchored, independent, not 'parallel'");
  }
}
