package dev.reelfarm.orchestrator.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource that checks a credential of its own instead of an API key (the join endpoint takes the
 * farm's join token from hosts that hold no key yet), so the API-key filter lets it through.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OwnCredential {}
