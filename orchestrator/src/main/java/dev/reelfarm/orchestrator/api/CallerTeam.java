package dev.reelfarm.orchestrator.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The team a request acts for. Until API keys exist (issue 14) every request acts for the built-in
 * team of migration V9; this is the one place that changes when the caller's key names its team.
 */
@ApplicationScoped
public class CallerTeam {
  /** The built-in team (V9) that owns everything while auth is off. */
  public static final UUID BUILT_IN = UUID.fromString("00000000-0000-0000-0000-000000000001");

  /** The calling request's team. */
  public UUID id() {
    return BUILT_IN;
  }
}
