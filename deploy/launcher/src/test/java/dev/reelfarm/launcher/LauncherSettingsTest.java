package dev.reelfarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LauncherSettingsTest {

  private static final String KEY = "reelfarm.test.launcher-settings";

  @AfterEach
  void clear() {
    System.clearProperty(KEY);
  }

  @Test
  void aSystemPropertyIsReadTrimmedAndABlankOneCountsAsUnset() {
    assertThat(LauncherSettings.get(KEY)).isEmpty();
    System.setProperty(KEY, "  jdbc:postgresql://db/reelfarm ");
    assertThat(LauncherSettings.get(KEY)).contains("jdbc:postgresql://db/reelfarm");
    System.setProperty(KEY, " ");
    assertThat(LauncherSettings.get(KEY)).isEmpty();
  }

  @Test
  void theEnvironmentVariableIsTheKeyInUpperCaseWithUnderscores() {
    assertThat(LauncherSettings.envName(LauncherSettings.DB_URL)).isEqualTo("REELFARM_DB_URL");
    assertThat(LauncherSettings.envName(LauncherSettings.KAFKA_BOOTSTRAP))
        .isEqualTo("REELFARM_KAFKA_BOOTSTRAP");
    assertThat(LauncherSettings.envName(LauncherSettings.MODEL_BUNDLE))
        .isEqualTo("REELFARM_MODEL_BUNDLE");
    assertThat(LauncherSettings.envName(KEY)).isEqualTo("REELFARM_TEST_LAUNCHER_SETTINGS");
  }
}
