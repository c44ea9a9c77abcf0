package dev.sepia.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.instance.InstanceRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class InstanceOptionsTest {

  @TempDir Path temp;
  private InstanceRegistry registry;
  private Path alphaConfig;
  private Path betaConfig;

  @BeforeEach
  void twoInstances() {
    registry = new InstanceRegistry(temp.resolve("machine"), "server");
    alphaConfig = temp.resolve("alpha.json");
    betaConfig = temp.resolve("beta.json");
    registry.add("Alpha", alphaConfig);
    registry.add("Beta", betaConfig);
  }

  @Command(name = "show-configuration")
  static class ShowConfiguration {
    @Mixin InstanceOptions instance;
  }

  private static InstanceOptions parse(String... args) {
    ShowConfiguration command = new ShowConfiguration();
    new CommandLine(command).parseArgs(args);
    return command.instance;
  }

  @Test
  void instanceOption_picksThatInstance() {
    assertThat(parse("--instance", "beta").resolve(registry))
        .isEqualTo(new InstanceRecord("Beta", betaConfig));
  }

  @Test
  void noOption_followsTheRegistrysDefaultRule() {
    assertThatThrownBy(() -> parse().resolve(registry))
        .isInstanceOf(OperatorException.class)
        .hasMessageContaining("Pass --instance NAME to choose one.");
  }

  @Test
  void configOption_findsTheRegisteredInstanceByPath_evenWrittenDifferently() {
    Path roundabout = temp.resolve("sub/../alpha.json");

    assertThat(parse("--config", roundabout.toString()).resolve(registry))
        .isEqualTo(new InstanceRecord("Alpha", alphaConfig));
  }

  @Test
  void unregisteredConfig_isUsedAsAnInstanceNamedAfterTheFile() {
    Path elsewhere = temp.resolve("restored/Production.json");

    assertThat(parse("--config", elsewhere.toString()).resolve(registry))
        .isEqualTo(new InstanceRecord("Production", elsewhere));
  }

  @Test
  void instanceAndItsOwnConfig_agree() {
    assertThat(parse("--instance", "ALPHA", "--config", alphaConfig.toString()).resolve(registry))
        .isEqualTo(new InstanceRecord("Alpha", alphaConfig));
  }

  @Test
  void instanceWithAnotherInstancesConfig_isRefusedAsBadUsage() {
    InstanceOptions options = parse("--instance", "Alpha", "--config", betaConfig.toString());

    assertThatThrownBy(() -> options.resolve(registry))
        .isInstanceOfSatisfying(OperatorException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessage(
            "--instance Alpha and --config "
                + betaConfig
                + " disagree: that file is the config of instance 'Beta'. Pass only one of"
                + " them.");
  }

  @Test
  void registeredInstanceWithAnUnregisteredConfig_isRefused() {
    Path other = temp.resolve("other.json");
    InstanceOptions options = parse("--instance", "Alpha", "--config", other.toString());

    assertThatThrownBy(() -> options.resolve(registry))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "--instance Alpha and --config "
                + other
                + " disagree: instance 'Alpha' uses "
                + alphaConfig
                + ". Pass only one of them.");
  }

  @Test
  void newInstanceNameWithAConfig_namesThatConfig() {
    Path other = temp.resolve("other.json");

    assertThat(new InstanceOptions("Gamma", other).resolve(registry))
        .isEqualTo(new InstanceRecord("Gamma", other));
  }

  @Test
  void usageHelp_explainsBothOptions() {
    String usage =
        new CommandLine(new ShowConfiguration()).setUsageHelpWidth(160).getUsageMessage();

    assertThat(usage)
        .contains(
            "--instance=NAME",
            "Name of the instance to use (default: the only instance, or Default)")
        .contains("--config=FILE", "Config file of the instance to use, instead of --instance");
  }
}
