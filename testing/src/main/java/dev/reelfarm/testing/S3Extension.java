package dev.reelfarm.testing;

import dev.reelfarm.infra.S3ProxyServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real S3Proxy for tests: one per test JVM, started on first use (~2-4 s) and stopped after the
 * last test. Test methods and constructors get it as a {@link TestS3} parameter. Use through {@link
 * WithS3}.
 */
public final class S3Extension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestS3.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new TestS3(
        server(context).endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
  }

  private static S3ProxyServer server(ExtensionContext context) {
    return SharedServers.get(
        context,
        S3ProxyServer.class,
        dir -> S3ProxyServer.start(dir.resolve("s3"), dir.resolve("s3proxy.log")));
  }
}
