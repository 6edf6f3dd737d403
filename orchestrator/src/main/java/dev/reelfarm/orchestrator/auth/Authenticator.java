package dev.reelfarm.orchestrator.auth;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.ApiKeyRepository;
import dev.reelfarm.orchestrator.persistence.ApiKeyRepository.StoredKey;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.schema.api.ApiKeyView;
import dev.reelfarm.schema.api.ApiKeys;
import dev.reelfarm.schema.api.ApiScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns an {@code Authorization} header into a {@link Caller}: the key is hashed, looked up by its
 * hash and compared once more in constant time; a revoked key is refused. The key's last-used time
 * is written at most once a minute per key and replica, in the lookup's transaction.
 */
@ApplicationScoped
public class Authenticator {
  private static final String BEARER = "Bearer ";
  private static final long TOUCH_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Database db;
  private final ApiKeyRepository keys;
  private final boolean enabled;
  private final Map<UUID, Long> touchedNanos = new ConcurrentHashMap<>();

  /** The answer: a caller, or why there is none (a 401's message). */
  public record Result(Caller caller, String refusal) {
    static Result refused(String why) {
      return new Result(null, why);
    }
  }

  @Inject
  public Authenticator(Database db, ApiKeyRepository keys, ReelfarmConfig config) {
    this(db, keys, config.auth().enabled());
  }

  public Authenticator(Database db, ApiKeyRepository keys, boolean enabled) {
    this.db = db;
    this.keys = keys;
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The caller of a request with this {@code Authorization} header (null: none sent). */
  public Result authenticate(String authorization) {
    if (!enabled) return new Result(Caller.AUTH_OFF, null);
    if (authorization == null || authorization.isBlank())
      return Result.refused(
          "this API needs an API key: send 'Authorization: Bearer <key>' (an admin creates keys"
              + " with ./reelfarm keys create; a local farm's admin key is in its directory,"
              + " admin.key)");
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length()))
      return Result.refused("the Authorization header must be 'Bearer <key>'");
    String key = authorization.substring(BEARER.length()).strip();
    String hash = ApiKeys.hash(key);
    return db.inTransaction(
        c -> {
          Optional<StoredKey> stored = keys.findByHash(c, hash);
          if (stored.isEmpty() || !ApiKeys.sameSecret(stored.get().hash(), hash))
            return Result.refused("the API key is not valid");
          return callerOf(c, stored.get());
        });
  }

  /** The caller of a GET with {@code ?access=<token>} (see {@link AccessTokens}). */
  public Result authenticateToken(String token) {
    if (!enabled) return new Result(Caller.AUTH_OFF, null);
    Optional<AccessTokens.Claims> claims = AccessTokens.parse(token);
    if (claims.isEmpty()) return Result.refused("the access token is not valid");
    return db.inTransaction(
        c -> {
          Optional<StoredKey> stored = keys.findStored(c, claims.get().keyId());
          if (stored.isEmpty() || !AccessTokens.valid(token, stored.get().hash(), Instant.now()))
            return Result.refused("the access token is not valid or has expired");
          return callerOf(c, stored.get());
        });
  }

  /** A read token of {@code caller}'s key, valid for {@code ttl}. */
  public String issueToken(Caller caller, Duration ttl) {
    if (caller.keyId() == null) return "auth-off";
    StoredKey key = db.inTransaction(c -> keys.findStored(c, caller.keyId())).orElseThrow();
    return AccessTokens.issue(key.view().id(), key.hash(), Instant.now().plus(ttl));
  }

  private Result callerOf(Connection c, StoredKey stored) throws SQLException {
    ApiKeyView k = stored.view();
    if (k.revokedAt() != null) return Result.refused("the API key was revoked at " + k.revokedAt());
    if (dueForTouch(k.id())) keys.touch(c, k.id());
    return new Result(new Caller(k.id(), k.teamId(), k.teamName(), scopes(k)), null);
  }

  private static EnumSet<ApiScope> scopes(ApiKeyView k) {
    EnumSet<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
    scopes.addAll(k.scopes());
    return scopes;
  }

  private boolean dueForTouch(UUID key) {
    long now = System.nanoTime();
    Long last = touchedNanos.get(key);
    if (last != null && now - last < TOUCH_EVERY_NANOS) return false;
    touchedNanos.put(key, now);
    return true;
  }
}
