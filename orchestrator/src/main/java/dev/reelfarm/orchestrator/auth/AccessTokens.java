package dev.reelfarm.orchestrator.auth;

import dev.reelfarm.schema.api.ApiKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived read tokens for what a browser cannot send a header with: {@code <img>}, {@code
 * <video>} and {@code EventSource} (the dashboard appends {@code ?access=<token>}). A token is
 * {@code <key id>.<expiry, epoch s>.<HMAC-SHA256>}, signed with the key's stored hash: every
 * replica can check it from the database, nothing new is stored, and revoking the key ends its
 * tokens.
 */
public final class AccessTokens {
  private AccessTokens() {}

  /** A token's claims: whose key, until when. */
  public record Claims(UUID keyId, long expiresEpochSecond) {}

  public static String issue(UUID keyId, String keyHash, Instant expires) {
    String claims = keyId + "." + expires.getEpochSecond();
    return claims + "." + sign(claims, keyHash);
  }

  /** The claims of a well-formed token (its signature is checked by {@link #valid}). */
  public static Optional<Claims> parse(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) return Optional.empty();
    try {
      return Optional.of(new Claims(UUID.fromString(parts[0]), Long.parseLong(parts[1])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code token} was signed with {@code keyHash} and is not expired at {@code now}. */
  public static boolean valid(String token, String keyHash, Instant now) {
    Optional<Claims> claims = parse(token);
    if (claims.isEmpty() || claims.get().expiresEpochSecond() <= now.getEpochSecond()) return false;
    int dot = token.lastIndexOf('.');
    return ApiKeys.sameSecret(sign(token.substring(0, dot), keyHash), token.substring(dot + 1));
  }

  private static String sign(String claims, String keyHash) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keyHash.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(claims.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
