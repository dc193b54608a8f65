package dev.juggler.tools.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code juggler client}: reads {@link ClientSession} commands from stdin until EOF or exit. */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = "Interactive client: reads commands from stdin ('help' lists them).")
public final class ClientCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (ClientSession session = new ClientSession(System.out)) {
      session.run(in);
    }
    return 0;
  }
}
