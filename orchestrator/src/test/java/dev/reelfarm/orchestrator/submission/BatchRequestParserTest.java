package dev.reelfarm.orchestrator.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.BatchDelivery;
import dev.reelfarm.schema.api.ShotTransition;
import dev.reelfarm.schema.presets.Preset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchRequestParserTest {
  private final AtomicLong seeds = new AtomicLong(100);
  private final BatchRequestParser parser =
      new BatchRequestParser(
          ApiJson.mapper(),
          new RenderRequestParser(
              ApiJson.mapper(), OrchestratorFixture.MODELS, seeds::incrementAndGet),
          3,
          seeds::incrementAndGet);

  private static String shots(String... shots) {
    return "{\"shots\":[" + String.join(",", shots) + "]";
  }

  /** The field the 400 of {@code body} names. */
  private String refused(String body) {
    return catchThrowableOfType(() -> parser.parse(body), InvalidRequestException.class).field();
  }

  @Test
  void eachShotOverridesTheDefaults() {
    BatchRequest r =
        parser.parse(
            "{\"defaults\":{\"steps\":4,\"durationSeconds\":2,\"seed\":9},"
                + "\"shots\":[{\"prompt\":\"a\"},{\"prompt\":\"b\",\"durationSeconds\":3,\"seed\":5}]}");

    assertThat(r.shots()).extracting(RenderRequest::prompt).containsExactly("a", "b");
    assertThat(r.shots()).extracting(RenderRequest::steps).containsExactly(4, 4);
    assertThat(r.shots()).extracting(RenderRequest::durationSeconds).containsExactly(2.0, 3.0);
    assertThat(r.shots()).extracting(RenderRequest::seed).containsExactly(9L, 5L);
    assertThat(r.deliver()).isEqualTo(BatchDelivery.CLIPS);
    assertThat(r.transition()).isNull();
  }

  @Test
  void variantsAreOnePromptWithConsecutiveSeedsOrRandomOnes() {
    BatchRequest seeded =
        parser.parse("{\"defaults\":{\"prompt\":\"a\",\"seed\":40},\"variants\":3}");
    assertThat(seeded.shots()).extracting(RenderRequest::seed).containsExactly(40L, 41L, 42L);

    BatchRequest random = parser.parse("{\"defaults\":{\"prompt\":\"a\"},\"variants\":3}");
    assertThat(random.shots()).extracting(RenderRequest::seed).doesNotHaveDuplicates();
    assertThat(random.shots()).extracting(RenderRequest::prompt).containsOnly("a");
  }

  @Test
  void aSequenceDefaultsToCutsAndADissolveToHalfASecond() {
    BatchRequest cut =
        parser.parse(
            shots("{\"prompt\":\"a\"}", "{\"prompt\":\"b\"}") + ",\"deliver\":\"sequence\"}");
    assertThat(cut.transition()).isEqualTo(ShotTransition.CUT);
    assertThat(cut.transitionSeconds()).isNull();

    BatchRequest dissolve =
        parser.parse(
            shots("{\"prompt\":\"a\"}", "{\"prompt\":\"b\"}")
                + ",\"deliver\":\"sequence\",\"transition\":\"dissolve\"}");
    assertThat(dissolve.transitionSeconds()).isEqualTo(0.5);
  }

  @Test
  void badShotListsAre400sNamingTheField() {
    assertThat(refused("{\"shots\":[]}")).isEqualTo("shots");
    assertThat(refused("{}")).isEqualTo("shots");
    assertThat(
            refused(
                shots(
                        "{\"prompt\":\"a\"}",
                        "{\"prompt\":\"b\"}",
                        "{\"prompt\":\"c\"}",
                        "{\"prompt\":\"d\"}")
                    + "}"))
        .isEqualTo("shots");
    assertThat(
            refused(
                "{\"shots\":[{\"prompt\":\"a\"}],\"variants\":2,\"defaults\":{\"prompt\":\"a\"}}"))
        .isEqualTo("variants");
    assertThat(refused("{\"defaults\":{\"prompt\":\"a\"},\"variants\":4}")).isEqualTo("variants");
    assertThat(refused("{\"variants\":2}")).isEqualTo("defaults.prompt");
    assertThat(
            refused(shots("{\"prompt\":\"a\"}", "{\"prompt\":\"b\",\"durationSeconds\":99}") + "}"))
        .isEqualTo("shots[1].durationSeconds");
    assertThat(refused(shots("{\"durationSeconds\":2}") + "}")).isEqualTo("shots[0].prompt");
    assertThat(refused(shots("{\"prompt\":\"a\",\"webhook\":\"https://x.example\"}") + "}"))
        .isEqualTo("shots[0].webhook");
    assertThat(refused(shots("{\"prompt\":\"a\",\"colour\":1}") + "}"))
        .isEqualTo("shots[0].colour");
    assertThat(refused(shots("{\"prompt\":\"a\"}") + ",\"shuffle\":true}")).isEqualTo("shuffle");
  }

  @Test
  void badTransitionsAre400sNamingTheField() {
    String two = shots("{\"prompt\":\"a\"}", "{\"prompt\":\"b\",\"durationSeconds\":1}");
    assertThat(refused(two + ",\"deliver\":\"sequence\",\"transition\":\"wipe\"}"))
        .isEqualTo("transition");
    assertThat(refused(two + ",\"transition\":\"cut\"}")).isEqualTo("transition");
    assertThat(refused(two + ",\"deliver\":\"sequence\",\"transitionSeconds\":0.5}"))
        .isEqualTo("transitionSeconds");
    // shot 1 lasts 1 s: a dissolve may take at most half of it
    assertThat(
            refused(
                two
                    + ",\"deliver\":\"sequence\",\"transition\":\"dissolve\",\"transitionSeconds\":0.6}"))
        .isEqualTo("transitionSeconds");
    assertThat(refused(two + ",\"deliver\":\"tape\"}")).isEqualTo("deliver");
  }

  @Test
  void theShotsOfASequenceSharePresetSizeAndRate() {
    String mixed = shots("{\"prompt\":\"a\"}", "{\"prompt\":\"b\",\"preset\":\"landscape\"}");
    assertThat(refused(mixed + ",\"deliver\":\"sequence\"}")).isEqualTo("shots[1].preset");
    // separate clips may differ
    assertThat(parser.parse(mixed + "}").shots())
        .extracting(RenderRequest::preset)
        .containsExactly(Preset.TIKTOK, Preset.LANDSCAPE);
  }
}
