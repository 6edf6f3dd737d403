package dev.reelfarm.orchestrator.submission;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The form of a webhook URL, before its address is checked: absolute http(s), a host, no user. */
public final class WebhookUrls {
  public static final int MAX_CHARS = 2000;

  private WebhookUrls() {}

  /** The URL, or an {@link InvalidRequestException} naming {@code field}. */
  public static URI syntax(String field, String url) {
    if (url.length() > MAX_CHARS)
      throw new InvalidRequestException(field, "must be at most " + MAX_CHARS + " characters");
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new InvalidRequestException(field, "is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https"))
      throw new InvalidRequestException(field, "must be an absolute http or https URL");
    if (uri.getHost() == null || uri.getHost().isEmpty())
      throw new InvalidRequestException(field, "must name a host");
    // Credentials in a URL end up in logs and in the delivery list: the signature authenticates.
    if (uri.getRawUserInfo() != null)
      throw new InvalidRequestException(field, "must not carry a user or password");
    if (uri.getRawFragment() != null)
      throw new InvalidRequestException(field, "must not have a fragment");
    return uri;
  }
}
