package dev.reelfarm.e2e.netns;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A process for {@link NetnsHostsIT} to run on a host: answers {@code GET /} with the address it
 * listens on, until killed. {@code java … NetnsProbeServer <address> <port>}.
 */
public final class NetnsProbeServer {
  public static void main(String[] args) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 0);
    byte[] body = ("served from " + args[0]).getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    System.out.println("listening on " + args[0] + ":" + args[1]);
  }

  private NetnsProbeServer() {}
}
