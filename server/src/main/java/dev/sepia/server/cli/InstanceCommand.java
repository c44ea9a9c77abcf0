package dev.sepia.server.cli;

import dev.sepia.platform.cli.InstanceOptions;
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
