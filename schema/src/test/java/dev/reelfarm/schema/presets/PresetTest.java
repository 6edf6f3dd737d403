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
}
