package dev.sepia.platform.instance;

import java.nio.file.Path;
import java.util.Objects;

/** One line of an instance registry: an instance's name as first spelled, and its config file. */
public record InstanceRecord(String name, Path configFile) {
  public InstanceRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(configFile, "configFile");
  }
}
