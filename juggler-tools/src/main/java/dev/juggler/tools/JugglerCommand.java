package dev.juggler.tools;

import dev.juggler.tools.cli.DurationConverter;
import dev.juggler.tools.client.ClientCommand;
import dev.juggler.tools.load.LoadCommand;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top command: {@code java -jar juggler-tools.jar load|client …}. */
@Command(
    name = "juggler",
    mixinStandardHelpOptions = true,
    version = "juggler-tools 0.1.0",
    description = "Tools for a juggler.0 server.",
    subcommands = {LoadCommand.class, ClientCommand.class, CommandLine.HelpCommand.class})
public final class JugglerCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Builds the command line with the converters every subcommand uses. */
  public static CommandLine commandLine() {
    return new CommandLine(new JugglerCommand())
        .registerConverter(java.time.Duration.class, DurationConverter::parse);
  }

  /**
   * Held so that the level sticks: the tools report lost connections themselves, one line per
   * connection from the client library would drown a load run's report.
   */
  private static final Logger CLIENT_LOG = Logger.getLogger("dev.juggler.client");

  public static void main(String[] args) {
    CLIENT_LOG.setLevel(Level.WARNING);
    System.exit(commandLine().execute(args));
  }
}
