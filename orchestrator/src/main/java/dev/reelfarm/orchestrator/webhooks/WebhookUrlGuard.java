package dev.reelfarm.orchestrator.webhooks;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.orchestrator.submission.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Decides where the farm may send webhooks: the URL's host must be on the allowlist (when one is
 * configured) and every address it resolves to must be public, unless private addresses are allowed
 * (the local farm). Without this guard a client could make the farm POST into its own network
 * (SSRF): the metadata service at 169.254.169.254, PostgreSQL's admin ports, localhost. Checked at
 * submit (a 400 naming the field) and again before each attempt, since DNS may change.
 */
@ApplicationScoped
public class WebhookUrlGuard {
  /** Resolves a host to its addresses (a seam for tests). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowPrivate;
  private final List<String> allowedHosts;
  private final boolean farmSecretSet;
  private final Resolver resolver;

  @Inject
  public WebhookUrlGuard(ReelfarmConfig config) {
    this(
        config.webhooks().allowPrivate(),
        config.webhooks().allowedHosts().orElse(List.of()),
        config.webhooks().secret().isPresent(),
        InetAddress::getAllByName);
  }

  /**
   * @param allowedHosts empty: any host; otherwise names, or {@code *.domain} for its subdomains
   */
  public WebhookUrlGuard(
      boolean allowPrivate, List<String> allowedHosts, boolean farmSecretSet, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.farmSecretSet = farmSecretSet;
    this.resolver = resolver;
  }

  /**
   * The request, if its own {@code webhook} (if any) may be called: it is signed with the farm's
   * secret, so one must be set.
   */
  public RenderRequest checkJobWebhook(RenderRequest request) {
    checkOwnWebhook(request.webhook());
    return request;
  }

  /** A job's or batch's own {@code webhook} (null: none), as {@link #checkJobWebhook} checks it. */
  public void checkOwnWebhook(String url) {
    if (url == null) return;
    if (!farmSecretSet)
      throw new InvalidRequestException(
          "webhook",
          "this farm has no webhook secret (reelfarm.webhooks.secret): use a team endpoint"
              + " (POST /api/v1/webhooks) or ask the operator to set one");
    check("webhook", url);
  }

  /**
   * The URL if the farm may call it, or an {@link InvalidRequestException} naming {@code field}.
   */
  public URI check(String field, String url) {
    URI uri = WebhookUrls.syntax(field, url);
    String refusal = refusal(uri);
    if (refusal != null) throw new InvalidRequestException(field, refusal);
    return uri;
  }

  /** Why the farm must not call {@code uri} now (null: it may). */
  public String refusal(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(allowed(host)))
      return "host " + host + " is not on this farm's webhook allowlist";
    if (allowPrivate) return null;
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return "host " + host + " does not resolve";
    }
    for (InetAddress address : addresses) {
      if (!isPublic(address))
        return "host "
            + host
            + " resolves to "
            + address.getHostAddress()
            + ", a loopback, link-local or private address (refused unless"
            + " reelfarm.webhooks.allow-private=true)";
    }
    return null;
  }

  private static java.util.function.Predicate<String> allowed(String host) {
    return pattern ->
        pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern);
  }

  /** Whether an address is on the public internet (not loopback, private, link-local, ...). */
  static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) return false;
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first != 0 // "this network"
          && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT 100.64/10
          && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol 192.0.0/24
          && !(first == 198 && (second == 18 || second == 19)) // benchmarking 198.18/15
          && first < 240; // reserved and broadcast
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) return false; // unique local fc00::/7
      if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8)
        return false; // documentation 2001:db8::/32
      if (isEmbeddedIpv4(b)) {
        try {
          return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return false;
        }
      }
    }
    return true;
  }

  /** ::a.b.c.d (IPv4-compatible) or 64:ff9b::a.b.c.d (NAT64): judged by the IPv4 address. */
  private static boolean isEmbeddedIpv4(byte[] b) {
    boolean compatible = true;
    for (int i = 0; i < 12; i++) compatible &= b[i] == 0;
    boolean nat64 =
        (b[0] & 0xff) == 0
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b;
    for (int i = 4; i < 12 && nat64; i++) nat64 = b[i] == 0;
    return compatible || nat64;
  }
}
