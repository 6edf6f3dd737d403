package dev.reelfarm.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RenderRequestTest {

  private static String body(String... argv) {
    Args args =
        Args.parse(
            "render",
            List.of(argv),
            Set.of(
                "seconds", "preset", "seed", "steps", "guidance", "mode", "negative", "priority"),
            Set.of());
    return RenderCommand.requestBody("a red circle", args).toString();
  }

  @Test
  void defaultsAreFourSecondsTiktokAndNothingElse() {
    assertThat(body())
        .isEqualTo("{\"prompt\":\"a red circle\",\"durationSeconds\":4,\"preset\":\"tiktok\"}");
  }

  @Test
  void everyOptionMapsToItsApiField() {
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
            "{\"prompt\":\"a red"
                + " circle\",\"durationSeconds\":2.5,\"preset\":\"landscape\",\"seed\":42,"
                + "\"steps\":20,\"guidanceScale\":5.0,\"mode\":\"anchored\",\"negativePrompt\":\"blur\","
                + "\"priority\":3}");
  }
}
