package dev.sepia.platform.cli;

import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.instance.InstanceRegistry;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --instance NAME} / {@code --config FILE} pair every instance command takes; use it as
 * a picocli {@code @Mixin}.
 */
public class InstanceOptions {

  @Option(
      names = "--instance",
      paramLabel = "NAME",
      description = "Name of the instance to use (default: the only instance, or Default)")
  private String instance;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Config file of the instance to use, instead of --instance")
  private Path config;

  public InstanceOptions() {}

  /** For callers that build options without parsing a command line. */
  public InstanceOptions(String instance, Path config) {
    this.instance = instance;
    this.config = config;
  }

  /** The {@code --instance} value, or null. */
  public String instance() {
    return instance;
  }

  /** The {@code --config} value, or null. */
  public Path config() {
    return config;
  }

  /**
   * The instance to act on. {@code --config} wins: it names the registered instance with that
   * config file, or an unregistered instance named after the file (so a config file can be used
   * without registering it). Given both, they must agree.
   */
  public InstanceRecord resolve(InstanceRegistry registry) {
    if (config == null) {
      return registry.resolve(instance);
    }
    Path wanted = config.toAbsolutePath().normalize();
    Optional<InstanceRecord> byConfig =
        registry.list().stream()
            .filter(r -> r.configFile().toAbsolutePath().normalize().equals(wanted))
            .findFirst();
    if (instance == null) {
      return byConfig.orElseGet(() -> new InstanceRecord(nameFromFile(wanted), wanted));
    }
    if (byConfig.isPresent()) {
      if (byConfig.get().name().equalsIgnoreCase(instance)) {
        return byConfig.get();
      }
      throw new OperatorException(
          "--instance "
              + instance
              + " and --config "
              + wanted
              + " disagree: that file is the config of instance '"
              + byConfig.get().name()
              + "'. Pass only one of them.",
          2);
    }
    Optional<InstanceRecord> byName = registry.find(instance);
    if (byName.isPresent()) {
      throw new OperatorException(
          "--instance "
              + instance
              + " and --config "
              + wanted
              + " disagree: instance '"
              + byName.get().name()
              + "' uses "
              + byName.get().configFile()
              + ". Pass only one of them.",
          2);
    }
    return new InstanceRecord(instance, wanted);
  }

  // "/etc/sepia/Production.config.json" -> "Production": what --instance would have said.
  static String nameFromFile(Path file) {
    String name = file.getFileName() == null ? "instance" : file.getFileName().toString();
    for (String suffix : new String[] {".json", ".config"}) {
      if (name.length() > suffix.length() && name.endsWith(suffix)) {
        name = name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
