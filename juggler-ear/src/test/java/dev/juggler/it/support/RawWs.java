package dev.juggler.it.support;

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
import java.time.Duration;
import java.util.Base64;

/**
 * A WebSocket client on a plain {@link Socket} that writes every byte by hand: frames masked or
 * not, with any opcode, RSV bits and length field, split across TCP writes as the test says. For
 * the hostile-client tests, which send what no WebSocket library would.
 */
public final class RawWs implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Opcodes. */
  public static final int CONT = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;

  /** A frame received: its opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The code of a close frame, or 1005 when it has none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    /** The reason of a close frame. */
    public String closeReason() {
      return payload.length > 2
          ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
          : "";
    }
  }

  /** An HTTP response to a handshake: status, head (status line and headers) and body. */
  public record Response(int status, String head, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Response response;

  private RawWs(Socket socket, Response response) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.response = response;
  }

  /** Opens a connection to the test server; nothing is sent. */
  public static Socket socket() throws IOException {
    Socket s = new Socket("127.0.0.1", Server.httpPort());
    s.setTcpNoDelay(true); // each write goes out as its own TCP segment
    s.setSoTimeout(10_000);
    return s;
  }

  /** A handshake request for {@code path}, offering juggler.0, with extra header lines. */
  public static String request(String path, String... headerLines) {
    StringBuilder b =
        new StringBuilder("GET ")
            .append(path)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
            .append(Server.httpPort())
            .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ")
            .append(Base64.getEncoder().encodeToString(RANDOM.generateSeed(16)))
            .append("\r\nSec-WebSocket-Version: 13\r\n");
    for (String line : headerLines) {
      b.append(line).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /**
   * Sends a raw handshake request and reads the response head (and the body of a refusal); returns
   * a connection whose {@link #response()} says what came back.
   */
  public static RawWs handshake(String request) throws IOException {
    Socket s = socket();
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return new RawWs(s, readResponse(s.getInputStream()));
  }

  /** A handshake to {@code /ws} offering juggler.0 that must succeed (101). */
  public static RawWs connect() throws IOException {
    RawWs ws = handshake(request("/ws", "Sec-WebSocket-Protocol: juggler.0"));
    if (ws.response.status != 101) {
      ws.close();
      throw new AssertionError("handshake refused:\n" + ws.response.head + ws.response.body);
    }
    return ws;
  }

  private static Response readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    byte[] last = new byte[4];
    while (!(last[0] == '\r' && last[1] == '\n' && last[2] == '\r' && last[3] == '\n')) {
      int c;
      try {
        c = in.read();
      } catch (java.net.SocketException e) {
        c = -1; // reset by the server
      }
      if (c < 0) {
        break;
      }
      head.write(c);
      System.arraycopy(last, 1, last, 0, 3);
      last[3] = (byte) c;
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    if (h.isEmpty()) {
      return new Response(-1, "", "");
    }
    int status = Integer.parseInt(h.substring(9, 12));
    String body = "";
    int length = contentLength(h);
    if (status != 101 && length > 0) {
      body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
    return new Response(status, h, body);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }

  public Response response() {
    return response;
  }

  /** A frame: FIN as given, RSV bits {@code rsv} (0 to 7), masked or not. */
  public static byte[] frame(int opcode, byte[] payload, boolean fin, boolean masked, int rsv) {
    return frame(opcode, payload, payload.length, fin, masked, rsv);
  }

  /** A final masked frame. */
  public static byte[] frame(int opcode, byte[] payload) {
    return frame(opcode, payload, true, true, 0);
  }

  /** A final masked text frame. */
  public static byte[] text(String text) {
    return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A frame whose length field says {@code declared} whatever the payload: with a 64-bit field
   * whenever {@code declared} does not fit 16 bits, or is negative (top bit set).
   */
  public static byte[] frame(
      int opcode, byte[] payload, long declared, boolean fin, boolean masked, int rsv) {
    ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
    b.put((byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    int mask = masked ? 0x80 : 0;
    if (declared >= 0 && declared < 126) {
      b.put((byte) (mask | declared));
    } else if (declared >= 0 && declared < 65_536) {
      b.put((byte) (mask | 126)).putShort((short) declared);
    } else {
      b.put((byte) (mask | 127)).putLong(declared);
    }
    byte[] key = new byte[4];
    if (masked) {
      RANDOM.nextBytes(key);
      b.put(key);
    }
    for (int i = 0; i < payload.length; i++) {
      b.put((byte) (payload[i] ^ key[i % 4]));
    }
    byte[] bytes = new byte[b.position()];
    b.flip().get(bytes);
    return bytes;
  }

  /** A close frame with a code (any 16 bits) and a reason. */
  public static byte[] close(int code, String reason) {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuffer p = ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r);
    return frame(CLOSE, p.array());
  }

  /** Writes the bytes as one TCP write. */
  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Writes each part as its own TCP write, {@code pause} apart, so the server reads them apart. */
  public void sendSplit(Duration pause, byte[]... parts) throws IOException {
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sleep(pause);
      }
      send(parts[i]);
    }
  }

  /** Splits {@code bytes} at the given offsets. */
  public static byte[][] split(byte[] bytes, int... at) {
    byte[][] parts = new byte[at.length + 1][];
    int from = 0;
    for (int i = 0; i <= at.length; i++) {
      int to = i < at.length ? at[i] : bytes.length;
      parts[i] = java.util.Arrays.copyOfRange(bytes, from, to);
      from = to;
    }
    return parts;
  }

  /** Concatenates frames. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  /**
   * The next frame within {@code wait}; {@code null} when none comes in time. Throws {@link
   * EOFException} when the server has closed the TCP connection.
   */
  public Frame read(Duration wait) throws IOException {
    socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
    try {
      int b0 = in.read();
      if (b0 < 0) {
        throw new EOFException("the server closed the connection");
      }
      socket.setSoTimeout(10_000); // the rest of a frame that has begun
      int b1 = readByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = ((readByte() & 0xff) << 8) | (readByte() & 0xff);
      } else if (len == 127) {
        len = ByteBuffer.wrap(in.readNBytes(8)).getLong();
      }
      byte[] payload = in.readNBytes((int) len);
      if (payload.length < len) {
        throw new EOFException("the server closed the connection within a frame");
      }
      return new Frame(b0 & 0x0f, payload);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the server closed the connection within a frame");
    }
    return b;
  }

  /** How a connection ended for the client: the server's close frame, or none (an EOF). */
  public record End(Frame close, boolean eof) {
    public int code() {
      return close == null ? 1006 : close.closeCode();
    }
  }

  /**
   * Reads until the server closes, answering its pings when {@code pong}; returns the close frame
   * (or an EOF without one), or {@code null} when neither comes within {@code wait}. Data frames on
   * the way are skipped.
   */
  public End awaitEnd(Duration wait, boolean pong) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Frame f;
      try {
        f = read(Duration.ofNanos(left));
      } catch (EOFException | java.net.SocketException e) {
        return new End(null, true);
      }
      if (f == null) {
        return null;
      }
      if (f.opcode == CLOSE) {
        return new End(f, false);
      }
      if (f.opcode == PING && pong) {
        send(frame(PONG, f.payload));
      }
    }
  }

  /**
   * Whether the server has closed the TCP connection within {@code wait} (reading and dropping).
   */
  public boolean awaitEof(Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()))) == null) {
          return false;
        }
      } catch (EOFException | java.net.SocketException e) {
        return true;
      }
    }
    return false;
  }

  /**
   * The CALL frame payload (juggler.0) of {@code test.echo}, with its UUID; its timeout is the
   * tests' wait.
   */
  public static String call(String uuid, String arg) {
    return "{\"meta\":{\"type\":1,\"uuid\":\""
        + uuid
        + "\"},\"payload\":{\"uri\":\"test.echo\",\"timeout\":"
        + Waits.SOON.toNanos()
        + ",\"args\":\""
        + arg
        + "\"}}";
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
