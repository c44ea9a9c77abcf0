package dev.sepia.platform.instance;

import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * Finds the per-machine folder that holds the machine key and the instance registries. It lies
 * outside every instance on purpose: a config file copied to another machine must not bring the key
 * that opens it.
 */
public final class MachineDirectory {

  /** Overrides the folder; tests set it, and a different folder stands for another machine. */
  public static final String ENV_VAR = "SEPIA_MACHINE_DIR";

  static final Path ROOT_DIR = Path.of("/etc/sepia");

  private MachineDirectory() {}

  /**
   * {@code SEPIA_MACHINE_DIR} if set; else {@code /etc/sepia} for root; else {@code
   * $HOME/.config/sepia}.
   */
  public static Path resolve(Map<String, String> env) {
    return resolve(env, MachineDirectory::runningAsRoot, System.getProperty("user.home"));
  }

  static Path resolve(Map<String, String> env, BooleanSupplier runningAsRoot, String userHome) {
    String override = env.get(ENV_VAR);
    if (override != null && !override.isBlank()) {
      return Path.of(override).toAbsolutePath().normalize();
    }
    if (runningAsRoot.getAsBoolean()) {
      return ROOT_DIR;
    }
    String home = env.get("HOME");
    if (home == null || home.isBlank()) {
      home = userHome;
    }
    if (home == null || home.isBlank()) {
      throw new OperatorException(
          "Cannot find the Sepia machine folder: HOME is not set. Set "
              + ENV_VAR
              + " to the folder that should hold this machine's key and instance registry.");
    }
    return Path.of(home, ".config", "sepia").toAbsolutePath().normalize();
  }

  static boolean runningAsRoot() {
    try {
      OptionalLong uid = effectiveUid(Files.readString(Path.of("/proc/self/status")));
      if (uid.isPresent()) {
        return uid.getAsLong() == 0;
      }
    } catch (IOException | RuntimeException e) {
      // No /proc (not Linux, or a restricted sandbox): fall back to the user name.
    }
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * The effective uid from the text of {@code /proc/self/status} ({@code Uid: real effective saved
   * fs}); the effective uid is the one file permissions are checked against.
   */
  static OptionalLong effectiveUid(String procStatus) {
    for (String line : procStatus.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] fields = line.substring(4).trim().split("\\s+");
        if (fields.length >= 2) {
          try {
            return OptionalLong.of(Long.parseLong(fields[1]));
          } catch (NumberFormatException e) {
            return OptionalLong.empty();
          }
        }
      }
    }
    return OptionalLong.empty();
  }
}
