package dev.sepia.tentacle.config;

import dev.sepia.crypto.MachineKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.ConfigFile;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.instance.InstanceRegistry;
import dev.sepia.platform.instance.MachineDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** What one invocation of sepia-tentacle knows about its machine: environment, folder, registry. */
public final class TentacleEnvironment {
  public static final String PRODUCT = "tentacle";

  private final Map<String, String> env;
  private final Path machineDir;

  public TentacleEnvironment(Map<String, String> env) {
    this.env = Map.copyOf(env);
    this.machineDir = MachineDirectory.resolve(env);
  }

  public Map<String, String> env() {
    return env;
  }

  public Path machineDir() {
    return machineDir;
  }

  public InstanceRegistry registry() {
    return new InstanceRegistry(machineDir, PRODUCT);
  }

  public MachineKey machineKey() {
    try {
      return MachineKey.loadOrCreate(machineDir);
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot read or create this machine's key in "
              + machineDir
              + ": "
              + e.getMessage()
              + ". Run as a user who can write there, or set SEPIA_MACHINE_DIR to a folder that"
              + " user owns.");
    }
  }

  public TentacleConfig openConfig(InstanceRecord instance) {
    return new TentacleConfig(
        instance.name(), ConfigFile.load(instance.configFile()), machineKey());
  }
}
