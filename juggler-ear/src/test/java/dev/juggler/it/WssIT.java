package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.juggler.client.ClientOptions;
import dev.juggler.client.JugglerClient;
import dev.juggler.client.JugglerException;
import dev.juggler.client.NackException;
import dev.juggler.it.support.JugglerProcess;
import dev.juggler.it.support.Jwts;
import dev.juggler.it.support.Waits;
import dev.juggler.protocol.message.Evnt;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar serving {@code wss://} on its HTTPS port, with a self-signed certificate the
 * test makes with the JDK's {@code keytool}, and JWT authentication on: the Java client connects
 * through an {@link SSLContext} that trusts that certificate, and the security checks hold as on
 * {@code ws://}. No Redis: the in-process broker serves.
 */
class WssIT {
  private static final Duration TIMEOUT = Waits.SOON;
  private static final KeyPair KEY = Jwts.rsa();
  private static final String ISSUER = "https://issuer.wss-it.example";
  private static final String PASSWORD = "wss-it-" + Long.toHexString(System.nanoTime());

  private static Path dir;
  private static JugglerProcess node;
  private static int httpsPort;
  private static SSLContext trusting;

  @BeforeAll
  static void startNodeWithTls() throws Exception {
    Files.createDirectories(Paths.get("target"));
    dir = Files.createTempDirectory(Paths.get("target"), "wss-it-").toAbsolutePath();
    Path keystore = dir.resolve("server.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "juggler",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    trusting = trusting(keystore);
    httpsPort = JugglerProcess.freePort();
    node =
        JugglerProcess.server(
            "wss",
            "JUGGLER_HTTPS_PORT",
            Integer.toString(httpsPort),
            "JUGGLER_TLS_KEYSTORE",
            keystore.toString(),
            "JUGGLER_TLS_KEYSTORE_PASSWORD",
            PASSWORD,
            "JUGGLER_SECURITY_JWT_PUBLIC_KEY",
            Jwts.pemProperty(KEY),
            "JUGGLER_SECURITY_JWT_ISSUER",
            ISSUER,
            "JUGGLER_CALLEE_WORKERS",
            "2");
    node.awaitStarted();
    node.awaitLine("Juggler server ready at /ws", JugglerProcess.START_WAIT);
  }

  @AfterAll
  static void stopNode() throws IOException {
    try (JugglerProcess n = node) {
      // closed here
    } finally {
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** Runs the JDK's keytool; fails with its output when it fails. */
  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool still running");
    assertEquals(0, p.exitValue(), () -> "keytool failed: " + output);
  }

  /** A TLS context that trusts only the server's self-signed certificate. */
  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      server.load(in, PASSWORD.toCharArray());
    }
    Certificate cert = server.getCertificate("juggler");
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("juggler-it", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static URI wss() {
    return URI.create("wss://127.0.0.1:" + httpsPort + "/ws");
  }

  private static HttpClient https() {
    return HttpClient.newBuilder().sslContext(trusting).connectTimeout(TIMEOUT).build();
  }

  private static String token() {
    return Jwts.sign(
        KEY,
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("alice")
            .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
            .build());
  }

  private static ClientOptions options() {
    return ClientOptions.defaults().httpClient(https()).reconnect(false);
  }

  @Test
  void aClientWithATokenIsServedOverWss() throws Exception {
    ClientOptions options = options().header("Authorization", "Bearer " + token());
    try (JugglerClient c = JugglerClient.connect(wss(), options)) {
      assertEquals("over tls", c.call("test.echo", "over tls", TIMEOUT, String.class).get());
      BlockingQueue<Evnt> events = new LinkedBlockingQueue<>();
      c.subscribe("tls.news", events::add).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      c.publish("tls.news", 7).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Evnt evnt = events.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertEquals("7", evnt == null ? null : evnt.args().text());
    }
  }

  @Test
  void theSecurityChecksHoldOverWss() {
    try (JugglerClient anonymous = JugglerClient.connect(wss(), options())) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  anonymous
                      .call("test.echo", "x", TIMEOUT)
                      .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      NackException nack = assertInstanceOf(NackException.class, e.getCause());
      assertEquals(401, nack.code());
    }
    ClientOptions forged = options().header("Authorization", "Bearer " + token() + "x");
    JugglerException refused =
        assertThrows(JugglerException.class, () -> JugglerClient.connect(wss(), forged));
    WebSocketHandshakeException handshake = causeOf(refused, WebSocketHandshakeException.class);
    assertEquals(401, handshake.getResponse().statusCode());
  }

  /** The first cause of {@code t} (itself included) of the given type; fails when none is. */
  private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + t, t);
  }

  @Test
  void theHttpsPortSpeaksHttp11OverTls12OrNewerWithTheConfiguredCertificate() throws Exception {
    HttpRequest live =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + "/health/live"))
            .timeout(TIMEOUT)
            .build();
    SSLParameters tls12 = new SSLParameters();
    tls12.setProtocols(new String[] {"TLSv1.2"});
    for (HttpClient client :
        List.of(
            https(),
            HttpClient.newBuilder()
                .sslContext(trusting)
                .sslParameters(tls12)
                .version(HttpClient.Version.HTTP_2)
                .build())) {
      HttpResponse<String> r = client.send(live, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      // offered HTTP/2 through ALPN, the port answers in HTTP/1.1, where WebSocket upgrades live
      assertEquals(HttpClient.Version.HTTP_1_1, r.version());
    }
    // a client that trusts only the usual certificate authorities does not take the test one
    IOException untrusted =
        assertThrows(
            IOException.class,
            () -> HttpClient.newHttpClient().send(live, HttpResponse.BodyHandlers.ofString()));
    causeOf(untrusted, SSLHandshakeException.class);
  }
}
