package dev.reelfarm.e2e.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay for a host of {@link NetnsHosts}, {@code java … NetnsPortForward LISTEN_HOST PORT
 * TARGET_HOST PORT [LISTEN_HOST PORT TARGET_HOST PORT …]}. The local farm's servers listen on
 * 127.0.0.1 and Kafka advertises 127.0.0.1:port: on host A a relay publishes each on A's address,
 * on the other hosts a relay from their 127.0.0.1:port to A's address makes the advertised address
 * reach A. Every byte still crosses the hosts' links, so a link taken down cuts it.
 */
public final class NetnsPortForward {
  public static void main(String[] args) throws IOException {
    for (int i = 0; i + 3 < args.length; i += 4) {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(args[i], Integer.parseInt(args[i + 1])));
      String host = args[i + 2];
      int port = Integer.parseInt(args[i + 3]);
      Thread accept = new Thread(() -> accept(server, host, port), "accept-" + args[i + 1]);
      accept.start();
      System.out.println("forwarding " + args[i] + ":" + args[i + 1] + " -> " + host + ":" + port);
    }
  }

  private static void accept(ServerSocket server, String host, int port) {
    while (true) {
      try {
        Socket in = server.accept();
        Socket out = new Socket();
        try {
          out.connect(new InetSocketAddress(host, port), 3000);
        } catch (IOException e) {
          in.close();
          out.close();
          continue;
        }
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // the other side went away: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            });
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private NetnsPortForward() {}
}
