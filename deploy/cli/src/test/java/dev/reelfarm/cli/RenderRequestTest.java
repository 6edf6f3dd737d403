package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RenderRequestTest {

  private static String body(String... options) throws Exception {
    var sink = new PrintStream(new ByteArrayOutputStream());
    var command = new RenderCommand(sink, sink);
    String[] argv = new String[options.length + 1];
    argv[0] = "a red circle";
    System.arraycopy(options, 0, argv, 1, options.length);
    new CommandLine(command).parseArgs(argv);
    return FarmApi.JSON.writeValueAsString(command.submission());
  }

  @Test
  void defaultsAreFourSecondsAndTheFarmsPresetAndNothingElse() throws Exception {
    // no preset named: the farm's default format, without a platform's minimum duration, so the
    // eval's 2 s clips are accepted
    assertThat(body()).isEqualTo("{\"prompt\":\"a red circle\",\"durationSeconds\":4.0}");
  }

  @Test
  void everyOptionMapsToItsApiField() throws Exception {
    assertThat(
            body(
                "--seconds",
                "2.5",
                "--preset",
                "landscape",
                "--seed",
                "42",
                "--steps",
                "20",
                "--guidance",
                "5",
                "--mode",
                "anchored",
                "--negative",
                "blur",
                "--priority",
                "3"))
        .isEqualTo(
            "{\"prompt\":\"a red circle\",\"negativePrompt\":\"blur\",\"durationSeconds\":2.5,"
                + "\"preset\":\"landscape\",\"seed\":42,\"steps\":20,\"guidanceScale\":5.0,"
                + "\"priority\":3,\"mode\":\"anchored\"}");
  }

  @Test
  void unquotedWordsAreJoinedIntoThePrompt() throws Exception {
    var sink = new PrintStream(new ByteArrayOutputStream());
    var command = new RenderCommand(sink, sink);
    new CommandLine(command).parseArgs("a", "red", "circle");
    assertThat(command.submission().prompt()).isEqualTo("a red circle");
  }
}
