package dev.sepia.server.cli;

import dev.sepia.platform.cli.CliRunner;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.startup.Version;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of sepia-server. */
@Command(
    name = "sepia-server",
    mixinStandardHelpOptions = true,
    versionProvider = ServerMain.VersionProvider.class,
    description = "Runs and administers a Sepia deployment server instance.",
    subcommands = {
      CreateInstanceCommand.class,
      ListInstancesCommand.class,
      DeleteInstanceCommand.class,
      DatabaseCommand.class,
      ShowMasterKeyCommand.class,
      SetMasterKeyCommand.class,
      ExportMasterKeyCommand.class,
      LostMasterKeyCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      VerifyBackupCommand.class,
      RotateMasterKeyCommand.class,
      ConfigureCommand.class,
      ShowConfigurationCommand.class,
      NewCertificateCommand.class,
      ShowThumbprintCommand.class,
      ExportCertificateCommand.class,
      ImportCertificateCommand.class,
      AdminCommand.class,
      RunCommand.class,
      ServiceCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Run 'sepia-server COMMAND --help' for a command's options."})
public final class ServerMain implements java.util.concurrent.Callable<Integer> {
  private final ServerEnvironment environment;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public ServerMain(ServerEnvironment environment) {
    this.environment = environment;
  }

  ServerEnvironment environment() {
    return environment;
  }

  /** No command given: that is bad usage, so the usage goes to stderr with exit code 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  public static void main(String[] args) {
    System.exit(execute(System.getenv(), args));
  }

  public static int execute(Map<String, String> env, String[] args) {
    return CliRunner.execute(new CommandLine(new ServerMain(new ServerEnvironment(env))), args);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sepia-server " + Version.current()};
    }
  }
}
