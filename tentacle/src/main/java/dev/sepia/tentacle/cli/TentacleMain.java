package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.CliRunner;
import dev.sepia.tentacle.Version;
import dev.sepia.tentacle.config.TentacleEnvironment;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of sepia-tentacle. */
@Command(
    name = "sepia-tentacle",
    mixinStandardHelpOptions = true,
    versionProvider = TentacleMain.VersionProvider.class,
    description = "Runs and administers a Sepia Tentacle, the agent that deploys to this machine.",
    subcommands = {
      CreateInstanceCommand.class,
      ListInstancesCommand.class,
      DeleteInstanceCommand.class,
      NewCertificateCommand.class,
      ImportCertificateCommand.class,
      ShowThumbprintCommand.class,
      ConfigureCommand.class,
      UpdateTrustCommand.class,
      ServerCommsCommand.class,
      RegisterWithCommand.class,
      DeregisterFromCommand.class,
      ShowConfigurationCommand.class,
      AgentCommand.class,
      ServiceCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Run 'sepia-tentacle COMMAND --help' for a command's options."})
public final class TentacleMain implements Runnable {
  private final TentacleEnvironment environment;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public TentacleMain(TentacleEnvironment environment) {
    this.environment = environment;
  }

  TentacleEnvironment environment() {
    return environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(System.getenv(), args));
  }

  public static int execute(Map<String, String> env, String[] args) {
    return CliRunner.execute(
        new CommandLine(new TentacleMain(new TentacleEnvironment(env))), args, env);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sepia-tentacle " + Version.current()};
    }
  }
}
