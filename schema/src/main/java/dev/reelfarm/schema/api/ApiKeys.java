package dev.reelfarm.schema.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The API key format, shared by the orchestrator (which creates and checks keys) and the launcher
 * (which creates the local farm's admin key): {@code rf_} and 32 random bytes in base64url (256
 * bits). Only {@link #hash} of a key is ever stored.
 */
public final class ApiKeys {
  public static final String PREFIX = "rf_";

  /** Characters of a key shown in listings ({@code rf_} and 8 more): enough to tell keys apart. */
  public static final int SHOWN_CHARS = 11;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new random key. */
  public static String generate() {
    return PREFIX + randomToken();
  }

  /** 32 random bytes (256 bits) in base64url: the body of a key, and the farm's join token. */
  public static String randomToken() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
  }

  /** {@code n} bytes from the one strong random generator every secret of the farm comes from. */
  public static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** SHA-256 of the key, hex: what the database stores and looks keys up by. */
  public static String hash(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  /**
   * Whether two secrets (keys, tokens, signatures) are equal, compared in constant time: over their
   * SHA-256 digests, so the time depends on neither their contents nor their lengths.
   */
  public static boolean sameSecret(String a, String b) {
    return MessageDigest.isEqual(sha256(a), sha256(b));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The start of the key that listings show. */
  public static String shown(String key) {
    return key.substring(0, Math.min(SHOWN_CHARS, key.length()));
  }
}
