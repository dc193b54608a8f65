// Reproduces Open Liberty WebSocket (websocket-2.1) framing defects against a running Juggler
// server (or any Liberty endpoint that answers a text frame). A single file: run it with
//   java Repro.java [ws-host] [port] [path]        (defaults: 127.0.0.1 9080 /ws)
// Each case writes frames by hand on a plain socket and prints what RFC 6455 expects and what
// came back. Exit status 0 when every case behaved as the RFC says, 1 otherwise.

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

public class Repro {
  static String host = "127.0.0.1";
  static int port = 9080;
  static String path = "/ws";
  static final SecureRandom RANDOM = new SecureRandom();

  public static void main(String[] args) throws Exception {
    if (args.length > 0) host = args[0];
    if (args.length > 1) port = Integer.parseInt(args[1]);
    if (args.length > 2) path = args[2];
    int failed = 0;
    failed += zeroLengthPingSplitAcrossReads();
    failed += zeroLengthPongSplitAcrossReads();
    failed += continuationWithoutStart();
    failed += unmaskedPing();
    failed += unmaskedClose();
    failed += lengthWithTopBitSet();
    failed += closeCodeAbove4999();
    System.out.println(failed == 0 ? "all cases as RFC 6455 says" : failed + " case(s) differ from RFC 6455");
    System.exit(failed == 0 ? 0 : 1);
  }

  // ---- the cases ----

  /** RFC 6455 5.5: control frames may have an empty payload; 5.2: a frame may arrive in any number of reads. */
  static int zeroLengthPingSplitAcrossReads() throws Exception {
    try (Conn c = Conn.open()) {
      byte[] ping = frame(0x9, new byte[0], true, true);
      String id = UUID.randomUUID().toString();
      c.write(new byte[] {ping[0]});
      Thread.sleep(200);
      c.write(concat(copy(ping, 1, ping.length), frame(0x1, call(id), true, true)));
      List<String> got = c.readFor(3000);
      boolean pongEmpty = got.stream().anyMatch(s -> s.equals("PONG len=0"));
      boolean acked = got.stream().anyMatch(s -> s.startsWith("TEXT") && s.contains(id));
      return report(
          "zero-length ping whose 2-byte header is split across two TCP reads, then a text frame in the second read",
          "an empty PONG, then the answer to the text frame",
          got,
          pongEmpty && acked);
    }
  }

  static int zeroLengthPongSplitAcrossReads() throws Exception {
    try (Conn c = Conn.open()) {
      byte[] pong = frame(0xA, new byte[0], true, true);
      String id = UUID.randomUUID().toString();
      c.write(new byte[] {pong[0]});
      Thread.sleep(200);
      c.write(concat(copy(pong, 1, pong.length), frame(0x1, call(id), true, true)));
      List<String> got = c.readFor(3000);
      return report(
          "zero-length (unsolicited) pong whose header is split across two TCP reads, then a text frame",
          "the answer to the text frame",
          got,
          got.stream().anyMatch(s -> s.startsWith("TEXT") && s.contains(id)));
    }
  }

  /** RFC 6455 5.4: a continuation frame with no message begun is a protocol error (fail with 1002). */
  static int continuationWithoutStart() throws Exception {
    try (Conn c = Conn.open()) {
      c.write(frame(0x0, "x".getBytes(StandardCharsets.UTF_8), false, true));
      Thread.sleep(200);
      String id = UUID.randomUUID().toString();
      c.write(frame(0x1, call(id), true, true));
      List<String> got = c.readFor(3000);
      return report(
          "non-final continuation frame without a message begun, then a text frame",
          "CLOSE 1002 at once (the text frame is not answered)",
          got,
          !got.isEmpty() && got.get(0).startsWith("CLOSE 1002"));
    }
  }

  /** RFC 6455 5.1: a server MUST close the connection upon receiving an unmasked frame (1002). */
  static int unmaskedPing() throws Exception {
    try (Conn c = Conn.open()) {
      c.write(frame(0x9, "x".getBytes(StandardCharsets.UTF_8), true, false));
      List<String> got = c.readFor(3000);
      return report("unmasked ping", "CLOSE 1002", got, !got.isEmpty() && got.get(0).startsWith("CLOSE 1002"));
    }
  }

  static int unmaskedClose() throws Exception {
    try (Conn c = Conn.open()) {
      c.write(frame(0x8, new byte[] {0x03, (byte) 0xe8}, true, false));
      List<String> got = c.readFor(3000);
      return report("unmasked close (code 1000)", "CLOSE 1002", got, !got.isEmpty() && got.get(0).startsWith("CLOSE 1002"));
    }
  }

  /** RFC 6455 5.2: with a 64-bit payload length, the most significant bit MUST be 0. */
  static int lengthWithTopBitSet() throws Exception {
    try (Conn c = Conn.open()) {
      ByteBuffer b = ByteBuffer.allocate(14);
      b.put((byte) 0x81).put((byte) (0x80 | 127)).putLong(Long.MIN_VALUE).put(new byte[4]);
      c.write(b.array());
      List<String> got = c.readFor(3000);
      return report(
          "text frame whose 64-bit length has the top bit set (no payload follows)",
          "CLOSE 1002 (protocol error) from the container",
          got,
          !got.isEmpty() && got.get(0).startsWith("CLOSE 1002") && !got.get(0).contains("JSON"));
    }
  }

  /** RFC 6455 7.4.2: codes outside 1000-4999 are invalid; the endpoint fails the connection (1002). */
  static int closeCodeAbove4999() throws Exception {
    try (Conn c = Conn.open()) {
      c.write(frame(0x8, new byte[] {0x13, (byte) 0x88}, true, true)); // 5000
      List<String> got = c.readFor(3000);
      return report(
          "close frame with code 5000",
          "CLOSE 1002, then the server closes the TCP connection",
          got,
          !got.isEmpty() && got.get(0).startsWith("CLOSE 1002"));
    }
  }

  // ---- support ----

  static int report(String what, String expected, List<String> actual, boolean ok) {
    System.out.println((ok ? "[ ok ] " : "[DIFF] ") + what);
    System.out.println("       expected: " + expected);
    System.out.println("       actual:   " + (actual.isEmpty() ? "nothing within 3 s" : String.join(", ", actual)));
    return ok ? 0 : 1;
  }

  static byte[] call(String uuid) {
    return ("{\"meta\":{\"type\":1,\"uuid\":\"" + uuid + "\"},\"payload\":{\"uri\":\"test.echo\","
            + "\"timeout\":5000000000,\"args\":\"hi\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] frame(int opcode, byte[] payload, boolean fin, boolean masked) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write((fin ? 0x80 : 0) | opcode);
    int m = masked ? 0x80 : 0;
    if (payload.length < 126) {
      b.write(m | payload.length);
    } else {
      b.write(m | 126);
      b.write(payload.length >> 8);
      b.write(payload.length & 0xff);
    }
    byte[] key = new byte[4];
    if (masked) {
      RANDOM.nextBytes(key);
      b.writeBytes(key);
    }
    for (int i = 0; i < payload.length; i++) {
      b.write(payload[i] ^ key[i % 4]);
    }
    return b.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static byte[] copy(byte[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  static final class Conn implements AutoCloseable {
    final Socket s;
    final InputStream in;
    final OutputStream out;

    Conn(Socket s) throws IOException {
      this.s = s;
      this.in = s.getInputStream();
      this.out = s.getOutputStream();
    }

    static Conn open() throws IOException {
      Socket s = new Socket(host, port);
      s.setTcpNoDelay(true);
      String key = Base64.getEncoder().encodeToString(RANDOM.generateSeed(16));
      String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Protocol: juggler.0\r\n\r\n";
      s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
      Conn c = new Conn(s);
      String head = c.head();
      if (!head.startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("handshake refused: " + head);
      }
      return c;
    }

    String head() throws IOException {
      StringBuilder b = new StringBuilder();
      while (!b.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) break;
        b.append((char) c);
      }
      return b.toString();
    }

    void write(byte[] b) throws IOException {
      out.write(b);
      out.flush();
    }

    /** Every frame (or the end of the connection) received within {@code millis}. */
    List<String> readFor(long millis) throws IOException {
      List<String> got = new ArrayList<>();
      long deadline = System.currentTimeMillis() + millis;
      while (true) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) return got;
        s.setSoTimeout((int) left);
        try {
          int b0 = in.read();
          if (b0 < 0) {
            got.add("TCP closed");
            return got;
          }
          int b1 = in.read();
          long len = b1 & 0x7f;
          if (len == 126) len = (in.read() << 8) | in.read();
          else if (len == 127) len = ByteBuffer.wrap(in.readNBytes(8)).getLong();
          byte[] p = in.readNBytes((int) len);
          int op = b0 & 0x0f;
          switch (op) {
            case 0x1 -> got.add("TEXT " + new String(p, StandardCharsets.UTF_8));
            case 0x8 -> {
              int code = p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005;
              String reason = p.length > 2 ? new String(p, 2, p.length - 2, StandardCharsets.UTF_8) : "";
              got.add("CLOSE " + code + " \"" + reason + "\"");
              return got;
            }
            case 0xA -> got.add("PONG len=" + p.length + (p.length > 0 ? " (not the ping's payload)" : ""));
            case 0x9 -> got.add("PING");
            default -> got.add("opcode " + op + " len=" + p.length);
          }
        } catch (SocketTimeoutException e) {
          return got;
        } catch (EOFException | java.net.SocketException e) {
          got.add("TCP closed");
          return got;
        }
      }
    }

    @Override
    public void close() throws IOException {
      s.close();
    }
  }
}
