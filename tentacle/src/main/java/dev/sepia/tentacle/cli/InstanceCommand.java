package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.InstanceOptions;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.config.TentacleEnvironment;
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
  static final String RESTART_NOTE = "These changes require a restart of the Tentacle.";

  @ParentCommand TentacleMain main;
  @Mixin InstanceOptions instanceOptions;
  @Spec CommandSpec spec;

  protected TentacleEnvironment environment() {
    return main.environment();
  }

  protected InstanceRecord instance() {
    return instanceOptions.resolve(environment().registry());
  }

  protected TentacleConfig config() {
    return environment().openConfig(instance());
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
