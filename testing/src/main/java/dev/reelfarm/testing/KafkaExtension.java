package dev.reelfarm.testing;

import dev.reelfarm.infra.KafkaBroker;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real single-node Kafka broker (KRaft, a child JVM) for tests: one per test JVM, started on
 * first use (~5-10 s on 2 cores) and stopped after the last test. Test methods and constructors get
 * it as a {@link TestKafka} parameter. Use through {@link WithKafka}.
 */
public final class KafkaExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new TestKafka(broker(context).bootstrap());
  }

  private static KafkaBroker broker(ExtensionContext context) {
    return SharedServers.get(
        context,
        KafkaBroker.class,
        dir -> KafkaBroker.start(dir.resolve("kafka"), dir.resolve("kafka.log"), List.of()));
  }
}
