package dev.sepia.server.startup;

import dev.sepia.crypto.MachineKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.ConfigFile;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.instance.InstanceRegistry;
import dev.sepia.platform.instance.MachineDirectory;
import dev.sepia.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What one invocation of sepia-server knows about its machine: environment, folder, registry. */
public final class ServerEnvironment {
  public static final String PRODUCT = "server";

  private final Map<String, String> env;
  private final Path machineDir;

  public ServerEnvironment(Map<String, String> env) {
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
      throw unreadable(e);
    }
  }

  private OperatorException unreadable(IOException e) {
    return new OperatorException(
        "Cannot read or create this machine's key in "
            + machineDir
            + ": "
            + e.getMessage()
            + ". Run as a user who can write there, or set SEPIA_MACHINE_DIR to a folder that"
            + " user owns.");
  }

  public ServerConfig openConfig(InstanceRecord instance) {
    return new ServerConfig(
        instance.name(),
        ConfigFile.load(instance.configFile()),
        new ServerConfig.MachineKeys() {
          @Override
          public Optional<MachineKey> existing() {
            try {
              return MachineKey.load(machineDir);
            } catch (IOException e) {
              throw unreadable(e);
            }
          }

          @Override
          public MachineKey createIfMissing() {
            return machineKey();
          }
        });
  }
}
