package dev.reelfarm.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

  private static Args parse(String... argv) {
    return Args.parse(
        "render", List.of(argv), Set.of("seconds", "out", "guidance"), Set.of("json"));
  }

  @Test
  void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
    Args args = parse("a prompt", "--seconds", "4", "--out=clip.mp4", "--json");
    assertThat(args.positionals()).containsExactly("a prompt");
    assertThat(args.integer("seconds", 1)).isEqualTo(4);
    assertThat(args.string("out", null)).isEqualTo("clip.mp4");
    assertThat(args.has("json")).isTrue();
    assertThat(args.integer("missing", 9)).isEqualTo(9);
  }

  @Test
  void systemPropertiesAreCollectedForTheServices() {
    Args args = parse("-Dquarkus.log.level=DEBUG", "p", "-Dflag");
    assertThat(args.properties()).isEqualTo(Map.of("quarkus.log.level", "DEBUG", "flag", "true"));
    assertThat(args.positionals()).containsExactly("p");
  }

  @Test
  void aNegativeNumberIsAValueNotAnOption() {
    assertThat(parse("--guidance", "-1.5").decimal("guidance", null)).isEqualTo(-1.5);
  }

  @Test
  void everythingAfterDoubleDashIsPositional() {
    assertThat(parse("--", "--json", "-x").positionals()).containsExactly("--json", "-x");
  }

  @Test
  void unknownOptionsMissingValuesAndBadNumbersAreUsageErrors() {
    assertThatThrownBy(() -> parse("--sconds", "4")).hasMessage("unknown option --sconds");
    assertThatThrownBy(() -> parse("--out")).hasMessage("--out needs a value");
    assertThatThrownBy(() -> parse("--json=yes")).hasMessage("--json takes no value");
    assertThatThrownBy(() -> parse("--seconds", "four").integer("seconds", 4))
        .isInstanceOf(Args.UsageException.class)
        .hasMessage("--seconds must be an integer, got 'four'");
    assertThatThrownBy(() -> parse("--guidance", "NaN").decimal("guidance", null))
        .hasMessage("--guidance must be a number, got 'NaN'");
  }
}
