package dev.reelfarm.schema.presets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PresetTest {

  @Test
  void verticalPresetsAre1080x1920AndLandscapeIs1920x1080AllAt30Fps() {
    for (String name : new String[] {"tiktok", "shorts", "reels"}) {
      Preset p = Preset.parse(name);
      assertThat(p.width()).isEqualTo(1080);
      assertThat(p.height()).isEqualTo(1920);
      assertThat(p.fps()).isEqualTo(30);
    }
    assertThat(Preset.parse("landscape").width()).isEqualTo(1920);
    assertThat(Preset.parse("landscape").height()).isEqualTo(1080);
  }

  @Test
  void namesParseCaseInsensitivelyAndRoundTrip() {
    assertThat(Preset.parse(" TikTok ")).isEqualTo(Preset.TIKTOK);
    for (Preset p : Preset.values()) assertThat(Preset.parse(p.id())).isEqualTo(p);
  }

  @Test
  void anUnknownNameIsRejectedListingTheValidOnes() {
    assertThatThrownBy(() -> Preset.parse("vimeo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'vimeo'")
        .hasMessageContaining("tiktok, shorts, reels, landscape");
    assertThatThrownBy(() -> Preset.parse(null)).hasMessageContaining("valid presets");
  }

  @Test
  void tiktokAndReelsRefuseClipsUnderThreeSecondsNamingThePlatform() {
    assertThat(Preset.TIKTOK.durationRule(2.9))
        .hasValue("preset tiktok needs at least 3 seconds (TikTok rejects shorter clips)");
    assertThat(Preset.REELS.durationRule(1)).get().asString().contains("Instagram Reels");
    assertThat(Preset.TIKTOK.durationRule(3)).isEmpty();
    assertThat(Preset.SHORTS.durationRule(1)).isEmpty();
    assertThat(Preset.LANDSCAPE.durationRule(1)).isEmpty();
  }

  @Test
  void youtubePresetsHaveAClosedGopOfHalfTheFrameRateAndAnEightMegabitCap() {
    for (Preset p : new Preset[] {Preset.SHORTS, Preset.LANDSCAPE}) {
      assertThat(p.gopFrames()).isEqualTo(p.fps() / 2);
      assertThat(p.maxBitrateKbps()).isEqualTo(8_000);
    }
    assertThat(Preset.REELS.maxBitrateKbps()).isEqualTo(25_000);
  }
}
