package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** What an API key may do; a route names the one it needs (403 names it when missing). */
public enum ApiScope {
  /** POST /api/v1/renders. */
  SUBMIT,
  /** Every GET of the caller's team's renders, events and files, and the workers. */
  READ,
  /** DELETE /api/v1/renders/{id}. */
  CANCEL,
  /** Teams, keys, audit, dead letters, and every team's renders. */
  ADMIN;

  /** The name on the wire and in the database ({@code submit}, ...). */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ApiScope of(String id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException("unknown scope '" + id + "'"));
  }

  public static Optional<ApiScope> find(String id) {
    for (ApiScope s : values()) if (s.id().equals(id)) return Optional.of(s);
    return Optional.empty();
  }
}
