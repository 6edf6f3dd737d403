package dev.reelfarm.e2e.netns;

import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.schema.config.ArtifactsConfig;
import java.net.URI;
import java.nio.file.Path;

/**
 * Host A of a multi-host test: a local farm (PostgreSQL, Kafka, S3Proxy, the orchestrator) on the
 * S3 artifact store with no worker and, once started, no encoder (the other hosts join with
 * theirs), run until killed, advertising the host's address for the others to join with. {@code
 * java … FarmOnHost FARM_DIR HTTP_PORT BUNDLE ADDRESS [key=value (orchestrator properties) …]};
 * prints {@code FARM http=<port> kafka=<port> pg=<port> s3=<port> token=<token> jdbc=<url> user=<u>
 * password=<p>} once ready.
 */
public final class FarmOnHost {
  public static void main(String[] args) throws Exception {
    var config =
        LocalFarm.builder()
            .dir(Path.of(args[0]))
            .httpPort(Integer.parseInt(args[1]))
            .modelBundle(Path.of(args[2]))
            .useEnvironment(false)
            .artifacts(ArtifactsConfig.Store.S3)
            .advertise(args[3])
            .workers(0);
    for (int i = 4; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      config.orchestratorProperty(kv[0], kv[1]);
    }
    LocalFarm farm = config.start();
    farm.encoder().stop(); // host D's encoder does the encoding
    System.out.println(
        "FARM http="
            + farm.httpPort()
            + " kafka="
            + farm.bootstrap().substring(farm.bootstrap().lastIndexOf(':') + 1)
            + " pg="
            + URI.create(farm.jdbcUrl().substring("jdbc:".length())).getPort()
            + " s3="
            + URI.create(farm.s3Endpoint().orElseThrow()).getPort()
            + " token="
            + farm.joinToken()
            + " jdbc="
            + farm.jdbcUrl()
            + " user="
            + farm.dbUser()
            + " password="
            + farm.dbPassword());
    Thread.currentThread().join(); // until SIGTERM: the farm's shutdown hook stops everything
  }

  private FarmOnHost() {}
}
