package dev.juggler.test.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server that can go silent the way a network does when it drops packets
 * without a reset: {@link #silenceOpenConnections()} makes the connections open now forward nothing
 * more, in either direction, while they stay open; connections made afterwards work. Neither side
 * is told anything. One thread per direction of each connection; {@link #close()} ends them all.
 */
public final class SilentProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Link> links = new CopyOnWriteArrayList<>();

  private SilentProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "silent-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** A proxy on a free loopback port to {@code host:port}. */
  public static SilentProxy to(String host, int port) throws IOException {
    return new SilentProxy(new InetSocketAddress(host, port));
  }

  /** The port the proxy listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  /** The connections open now forward nothing more; they are not closed. */
  public void silenceOpenConnections() {
    links.forEach(l -> l.silent = true);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        try {
          server.connect(target);
        } catch (IOException e) {
          client.close();
          continue;
        }
        Link link = new Link(client, server);
        links.add(link);
        pump(link, client, server, "up");
        pump(link, server, client, "down");
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(Link link, Socket from, Socket to, String direction) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (!link.silent) { // a silenced link still reads, so that nobody blocks
                    out.write(buf, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // either side closed
              } finally {
                if (!link.silent) {
                  link.close();
                }
              }
            },
            "silent-proxy-" + direction);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    links.forEach(Link::close);
  }

  private static final class Link {
    private final Socket client;
    private final Socket server;
    private volatile boolean silent;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void close() {
      try {
        client.close();
      } catch (IOException e) {
        // closing anyway
      }
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
