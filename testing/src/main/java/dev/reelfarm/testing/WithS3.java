package dev.reelfarm.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class runs against a real S3-compatible server (S3Proxy on a filesystem backend, a child
 * JVM), injected as a {@link TestS3} parameter (see {@link S3Extension}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(S3Extension.class)
public @interface WithS3 {}
