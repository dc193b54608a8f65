package dev.juggler.test.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the Redis protocol to probe and reset a test server, so that this module needs no
 * Redis client library (whose version would then fight the one under test).
 */
final class Resp {

  private static final int TIMEOUT_MS = 2_000;

  private Resp() {}

  /** Sends one command on a fresh connection and returns a simple, integer or bulk reply. */
  static String command(String host, int port, String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(encode(args));
      out.flush();
      return readReply(new BufferedInputStream(socket.getInputStream()));
    }
  }

  private static byte[] encode(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    write(buf, "*" + args.length + "\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      write(buf, "$" + bytes.length + "\r\n");
      buf.write(bytes, 0, bytes.length);
      write(buf, "\r\n");
    }
    return buf.toByteArray();
  }

  private static void write(ByteArrayOutputStream buf, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    buf.write(bytes, 0, bytes.length);
  }

  private static String readReply(InputStream in) throws IOException {
    int kind = in.read();
    String line = readLine(in);
    switch (kind) {
      case '+':
      case ':':
        return line;
      case '-':
        throw new IOException("Redis error: " + line);
      case '$':
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length + 2);
        if (data.length != length + 2) {
          throw new EOFException("connection closed inside a reply");
        }
        return new String(data, 0, length, StandardCharsets.UTF_8);
      case -1:
        throw new EOFException("connection closed before the reply");
      default:
        throw new IOException("unexpected reply type '" + (char) kind + "'");
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new EOFException("connection closed inside a reply");
      }
      sb.append((char) c);
    }
    if (in.read() != '\n') {
      throw new IOException("malformed reply line");
    }
    return sb.toString();
  }
}
