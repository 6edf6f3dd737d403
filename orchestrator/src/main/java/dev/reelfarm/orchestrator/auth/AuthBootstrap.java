package dev.reelfarm.orchestrator.auth;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.ApiKeyRepository;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.schema.api.ApiKeys;
import dev.reelfarm.schema.api.ApiScope;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * At start: warns when auth is off, and stores the hash of the bootstrap admin key ({@code
 * reelfarm.auth.bootstrap-key-file}) for the default team, so the first admin can create teams and
 * keys. Storing is idempotent (by hash), so every replica and every restart may do it; a bootstrap
 * key an admin revoked stays revoked.
 */
@ApplicationScoped
public class AuthBootstrap {
  private static final Logger LOG = Logger.getLogger(AuthBootstrap.class);
  static final int MIN_KEY_CHARS = 32;

  private final ReelfarmConfig config;
  private final Database db;
  private final ApiKeyRepository keys;

  public AuthBootstrap(ReelfarmConfig config, Database db, ApiKeyRepository keys) {
    this.config = config;
    this.db = db;
    this.keys = keys;
  }

  void start(@Observes StartupEvent ignored) {
    if (!config.auth().enabled()) {
      LOG.warn(
          "AUTH IS OFF (reelfarm.auth.enabled=false): every request acts as an admin of the"
              + " default team, without an API key");
      return;
    }
    config.auth().bootstrapKeyFile().map(Path::of).ifPresent(this::store);
  }

  private void store(Path file) {
    String key;
    try {
      key = Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read reelfarm.auth.bootstrap-key-file " + file, e);
    }
    if (key.length() < MIN_KEY_CHARS)
      throw new IllegalStateException(
          "the bootstrap key in " + file + " is shorter than " + MIN_KEY_CHARS + " characters");
    db.inTransaction(
        c -> {
          keys.insert(
              c,
              UUID.randomUUID(),
              TeamRepository.DEFAULT_TEAM,
              "bootstrap",
              ApiKeys.hash(key),
              ApiKeys.shown(key),
              EnumSet.allOf(ApiScope.class));
          return null;
        });
    LOG.infof("bootstrap admin key %s… (from %s) is stored", ApiKeys.shown(key), file);
  }
}
