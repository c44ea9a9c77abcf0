package dev.sepia.platform.service;

import dev.sepia.platform.cli.OperatorException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Chooses how this machine runs services. */
public final class ServiceManagers {

  /** {@code process} or {@code systemd}; forces the choice (CI, containers, tests). */
  public static final String ENV_VAR = "SEPIA_SERVICE_MANAGER";

  static final Path SYSTEMD_RUN_DIR = Path.of("/run/systemd/system");

  private ServiceManagers() {}

  /**
   * systemd when it is the running init system ({@code /run/systemd/system} exists and {@code
   * systemctl} is on the PATH), else a detached process. Containers often ship systemctl without
   * running systemd, hence both checks.
   */
  public static ServiceManager forThisMachine(Map<String, String> env) {
    return forThisMachine(env, SYSTEMD_RUN_DIR);
  }

  static ServiceManager forThisMachine(Map<String, String> env, Path systemdRunDir) {
    String forced = env.get(ENV_VAR);
    if (forced != null && !forced.isBlank()) {
      return switch (forced.trim().toLowerCase(Locale.ROOT)) {
        case "process" -> new ProcessServiceManager();
        case "systemd" -> new SystemdServiceManager();
        default ->
            throw new OperatorException(
                ENV_VAR
                    + " is '"
                    + forced
                    + "'; use process or systemd, or unset it to choose automatically.");
      };
    }
    if (Files.isDirectory(systemdRunDir) && onPath("systemctl", env.get("PATH"))) {
      return new SystemdServiceManager();
    }
    return new ProcessServiceManager();
  }

  static boolean onPath(String program, String path) {
    if (path == null || path.isBlank()) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
