package dev.reelfarm.orchestrator.auth;

import dev.reelfarm.schema.api.ApiScope;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a resource method (or every method of a resource class) needs. A route without one
 * needs {@code admin}: a new route is closed until it says otherwise.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresScope {
  ApiScope value();
}
