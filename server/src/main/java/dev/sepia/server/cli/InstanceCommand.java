package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.InstanceOptions;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.startup.OpenInstance;
import dev.sepia.server.startup.ServerEnvironment;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Base of the commands that act on one instance (chosen by --instance or --config). */
@Command(mixinStandardHelpOptions = true)
abstract class InstanceCommand implements Callable<Integer> {
  @ParentCommand ServerMain main;
  @Mixin InstanceOptions instanceOptions;
  @Spec CommandSpec spec;

  protected ServerEnvironment environment() {
    return main.environment();
  }

  protected InstanceRecord instance() {
    return instanceOptions.resolve(environment().registry());
  }

  protected ServerConfig config() {
    return environment().openConfig(instance());
  }

  /** The master key in {@code config}, or a refusal that says how an instance gets one. */
  protected static SymmetricKey masterKeyOf(ServerConfig config) {
    return config
        .masterKey()
        .orElseThrow(
            () ->
                new OperatorException(
                    "Instance '"
                        + config.instanceName()
                        + "' has no master key in its config. A new database gets one from:"
                        + " sepia-server database --connectionString … --create; for an existing"
                        + " database give its key: sepia-server set-master-key --instance "
                        + config.instanceName()
                        + " --masterKey <key>. Nothing was changed."));
  }

  protected OpenInstance openInstance() {
    return OpenInstance.open(environment(), instance());
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
