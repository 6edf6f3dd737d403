package dev.reelfarm.schema.config;

import java.util.Locale;

/**
 * Reads a setting for the plain-JVM services (worker, encoder): the system property {@code key}
 * first, then the environment variable derived from it ({@code reelfarm.kafka.bootstrap} →
 * {@code REELFARM_KAFKA_BOOTSTRAP}), then the default. The same names work for the orchestrator,
 * whose MicroProfile Config applies the same mapping.
 */
public final class Settings {

  public static String string(String key, String defaultValue) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) value = System.getenv(envName(key));
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  public static int integer(String key, int defaultValue) {
    String value = string(key, null);
    if (value == null) return defaultValue;
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " (" + envName(key) + "): not an integer: " + value, e);
    }
  }

  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private Settings() {}
}
