package dev.reelfarm.orchestrator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlGuardTest {
  /** Fixed DNS: no lookup leaves the test. */
  private static final Map<String, String> DNS =
      Map.of(
          "hooks.example.com", "93.184.216.34",
          "internal.example.com", "10.1.2.3",
          "rebound.example.com", "169.254.169.254");

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String ip = DNS.getOrDefault(host, host.matches("[0-9a-f.:]+") ? host : null);
    if (ip == null) throw new UnknownHostException(host);
    return new InetAddress[] {InetAddress.getByName(ip)};
  }

  private final WebhookUrlGuard guard =
      new WebhookUrlGuard(false, List.of(), true, WebhookUrlGuardTest::resolve);

  @Test
  void aPublicHttpsUrlIsAllowed() {
    assertThat(guard.check("url", "https://hooks.example.com/reelfarm?x=1"))
        .isEqualTo(URI.create("https://hooks.example.com/reelfarm?x=1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080/hook",
        "http://[::1]/hook",
        "http://0.0.0.0/",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/",
        "http://172.16.9.1/",
        "http://192.168.1.10/",
        "http://100.64.0.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a00:1]/",
        "http://internal.example.com/",
        "http://rebound.example.com/"
      })
  void loopbackLinkLocalAndPrivateDestinationsAreRefusedNamingTheField(String url) {
    assertThatThrownBy(() -> guard.check("url", url))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("url"))
        .hasMessageContaining("reelfarm.webhooks.allow-private");
  }

  @Test
  void privateDestinationsAreAllowedWhenTheFarmAllowsThem() {
    var local = new WebhookUrlGuard(true, List.of(), true, WebhookUrlGuardTest::resolve);

    assertThat(local.check("url", "http://127.0.0.1:9000/hook").getPort()).isEqualTo(9000);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://hooks.example.com/",
        "/relative/path",
        "https://user:pw@hooks.example.com/",
        "https://hooks.example.com/#frag",
        "not a url"
      })
  void urlsThatAreNotPlainHttpOrHttpsAreRefused(String url) {
    assertThatThrownBy(() -> guard.check("webhook", url))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("webhook"));
  }

  @Test
  void aHostThatDoesNotResolveIsRefused() {
    assertThatThrownBy(() -> guard.check("url", "https://nowhere.invalid/"))
        .hasMessageContaining("does not resolve");
  }

  @Test
  void withAnAllowlistOnlyItsHostsAndSubdomainsPass() {
    var listed =
        new WebhookUrlGuard(
            false, List.of("hooks.example.com", "*.example.org"), true, h -> resolve("8.8.8.8"));

    assertThat(listed.refusal(URI.create("https://hooks.example.com/"))).isNull();
    assertThat(listed.refusal(URI.create("https://a.b.example.org/"))).isNull();
    assertThat(listed.refusal(URI.create("https://example.net/"))).contains("allowlist");
  }

  @Test
  void aJobWebhookNeedsTheFarmSecret() {
    var noSecret = new WebhookUrlGuard(false, List.of(), false, WebhookUrlGuardTest::resolve);
    RenderRequest withHook =
        OrchestratorFixture.request(2, null, 0).toBuilder()
            .webhook("https://hooks.example.com/")
            .build();

    assertThatThrownBy(() -> noSecret.checkJobWebhook(withHook))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("webhook"))
        .hasMessageContaining("reelfarm.webhooks.secret");
    assertThat(guard.checkJobWebhook(withHook)).isSameAs(withHook);
  }
}
