package dev.reelfarm.orchestrator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  /**
   * The Standard Webhooks spec's published vector (standard-webhooks/standard-webhooks, the
   * reference libraries' sign tests, e.g. libraries/php/tests/WebhookTest.php).
   */
  @Test
  void signatureMatchesTheSpecsPublishedTestVector() {
    var signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    String signature =
        signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void thePrefixIsOptionalAsInTheReferenceLibraries() {
    assertThat(new WebhookSigner("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign("msg_1", 1, "{}"))
        .isEqualTo(
            new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign("msg_1", 1, "{}"));
  }

  @Test
  void anyChangeToIdTimestampOrBodyChangesTheSignature() {
    var signer = new WebhookSigner(WebhookSigner.newSecret());
    String base = signer.sign("msg_1", 100, "{}");

    assertThat(signer.sign("msg_2", 100, "{}")).isNotEqualTo(base);
    assertThat(signer.sign("msg_1", 101, "{}")).isNotEqualTo(base);
    assertThat(signer.sign("msg_1", 100, "{ }")).isNotEqualTo(base);
  }

  @Test
  void newSecretsAreWhsecAnd24RandomBytes() {
    String a = WebhookSigner.newSecret();

    assertThat(a).startsWith("whsec_").isNotEqualTo(WebhookSigner.newSecret());
    assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(24);
  }

  @Test
  void aSecretThatIsNotBase64OrTooShortIsRefused() {
    assertThatThrownBy(() -> new WebhookSigner("whsec_not base64!")).hasMessageContaining("base64");
    assertThatThrownBy(() -> new WebhookSigner("whsec_c2hvcnQ="))
        .hasMessageContaining("at least 16 bytes");
  }
}
