package dev.reelfarm.orchestrator.webhooks;

import dev.reelfarm.schema.api.ApiKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook per the Standard Webhooks spec: {@code webhook-signature} is {@code v1,} +
 * base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), where the key is the base64 part of
 * a {@code whsec_} secret. Pure.
 */
public final class WebhookSigner {
  public static final String SECRET_PREFIX = "whsec_";

  /** Random bytes in a generated secret (the spec asks for 24 to 64). */
  static final int SECRET_BYTES = 24;

  private final SecretKeySpec key;

  /** A signer with {@code secret} ({@code whsec_} + base64; the prefix is optional). */
  public WebhookSigner(String secret) {
    this.key = new SecretKeySpec(keyBytes(secret), "HmacSHA256");
  }

  /** A new random secret, {@code whsec_} + base64. */
  public static String newSecret() {
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(ApiKeys.randomBytes(SECRET_BYTES));
  }

  /** The {@code webhook-signature} header's value for one attempt. */
  public String sign(String id, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] signed =
          mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(signed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is in every JDK", e);
    }
  }

  private static byte[] keyBytes(String secret) {
    String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(6) : secret;
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a webhook secret is whsec_ + base64: " + e.getMessage());
    }
    if (bytes.length < 16)
      throw new IllegalArgumentException(
          "a webhook secret needs at least 16 bytes after whsec_ (got " + bytes.length + ")");
    return bytes;
  }
}
