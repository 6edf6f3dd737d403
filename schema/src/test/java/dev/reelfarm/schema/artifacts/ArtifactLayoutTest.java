package dev.reelfarm.schema.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.presets.Preset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ArtifactLayoutTest {
  private static final UUID JOB = UUID.fromString("7e3b8f0a-5c1d-4e0b-9a57-3d2f1c0b9e44");

  @Test
  void theFirstVersionKeepsTheOutputFolderAndLaterOnesGetTheirOwn() {
    assertThat(ArtifactLayout.outputPrefix(JOB, 1)).isEqualTo(ArtifactLayout.outputPrefix(JOB));
    assertThat(ArtifactLayout.outputPrefix(JOB, 3)).isEqualTo("jobs/" + JOB + "/output/v3");
  }

  @Test
  void aVideosVersionIsReadFromWhereItWasWrittenWhateverTheStoresUri() {
    for (int version : new int[] {1, 2, 12}) {
      String key = ArtifactLayout.video(ArtifactLayout.outputPrefix(JOB, version), Preset.TIKTOK);
      assertThat(ArtifactLayout.outputVersion(JOB, key)).isEqualTo(version);
      assertThat(ArtifactLayout.outputVersion(JOB, "file:///var/farm/artifacts/" + key))
          .isEqualTo(version);
      assertThat(ArtifactLayout.outputVersion(JOB, "s3://bucket/prefix/" + key)).isEqualTo(version);
    }
    assertThat(ArtifactLayout.outputVersion(JOB, "file:///v.mp4")).isEqualTo(1);
  }
}
