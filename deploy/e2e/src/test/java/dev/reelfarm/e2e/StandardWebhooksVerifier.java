package dev.reelfarm.e2e;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a webhook, written from the Standard Webhooks spec (not from the farm's
 * sender): the signed content is {@code webhook-id + "." + webhook-timestamp + "." + body}, the key
 * is the base64 after {@code whsec_}, {@code webhook-signature} is a space-separated list of {@code
 * v1,<base64 HMAC-SHA256>} of which one must match (compared in constant time), and the timestamp
 * must be within the tolerance of now (against replays).
 */
final class StandardWebhooksVerifier {
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  private final byte[] key;

  StandardWebhooksVerifier(String secret) {
    this.key = Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
  }

  /** Whether the headers sign this body with our secret, now. */
  boolean verify(String id, String timestamp, String signatures, String body) throws Exception {
    if (id == null || timestamp == null || signatures == null) return false;
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    long skew = Math.abs(Instant.now().getEpochSecond() - seconds);
    if (skew > TOLERANCE.toSeconds()) return false;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] expected =
        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    for (String signature : signatures.split(" ")) {
      int comma = signature.indexOf(',');
      if (comma < 0 || !signature.substring(0, comma).equals("v1")) continue;
      byte[] given;
      try {
        given = Base64.getDecoder().decode(signature.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) return true;
    }
    return false;
  }
}
