package dev.reelfarm.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Free TCP ports on the loopback interface. */
public final class Ports {

  /**
   * A port that was free a moment ago. Another process can take it before the child binds it; the
   * window is small and a clash fails loudly at start-up, which is acceptable for a local farm.
   */
  public static int free() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /**
   * Whether something accepts connections on {@code port} on 127.0.0.1. Probes by connecting, not
   * by binding, so it never takes the port from a process that is about to bind it.
   */
  public static boolean listening(int port) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Ports() {}
}
