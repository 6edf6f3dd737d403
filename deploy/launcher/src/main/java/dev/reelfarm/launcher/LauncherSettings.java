package dev.reelfarm.launcher;

import java.util.Locale;
import java.util.Optional;

/**
 * The settings the launcher reads from outside: the system property {@code key} first, then the
 * environment variable derived from it ({@code reelfarm.db.url} → {@code REELFARM_DB_URL}). Blank
 * values count as unset.
 */
public final class LauncherSettings {

  /** An external PostgreSQL instead of the embedded one. */
  public static final String DB_URL = "reelfarm.db.url";

  public static final String DB_USER = "reelfarm.db.user";
  public static final String DB_PASSWORD = "reelfarm.db.password";

  /** An external Kafka instead of the embedded broker. */
  public static final String KAFKA_BOOTSTRAP = "reelfarm.kafka.bootstrap";

  /** The model bundle directory, relative to the checkout unless absolute. */
  public static final String MODEL_BUNDLE = "reelfarm.model.bundle";

  public static Optional<String> get(String key) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) value = System.getenv(envName(key));
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private LauncherSettings() {}
}
