package dev.reelfarm.deploy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.deploy.local.Args;
import dev.reelfarm.deploy.local.RepoLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
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
  void knowsExactlyTheOrchestratorsRenderModes() throws IOException {
    String source = Files.readString(RepoLayout.locate().root().resolve(
        "orchestrator/src/main/java/dev/reelfarm/orchestrator/planning/RenderMode.java"));
    List<String> constants = Pattern.compile("(?m)^\\s*([A-Z_]+)\\s*[,;]").matcher(source).results()
        .map(m -> m.group(1).toLowerCase(Locale.ROOT)).toList();

    assertThat(constants).isNotEmpty();
    assertThat(EvalCommand.MODES).containsExactlyInAnyOrderElementsOf(constants);
  }
}
