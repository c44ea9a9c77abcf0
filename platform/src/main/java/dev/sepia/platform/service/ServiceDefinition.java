package dev.sepia.platform.service;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to run as a service, and where.
 *
 * <p>The {@code command} must carry the service name as an argument of its own, e.g. {@code
 * -Dsepia.service=sepia-server-Default}: the process manager only ever signals a pid whose command
 * line shows that name, so a recycled pid in a stale pid file is never killed. The {@code
 * environment} ends up in the systemd unit file, which is world-readable: never put secrets in it.
 *
 * @param serviceName e.g. {@code sepia-server-Default}; letters, digits, '-', '_', '.', '@'
 * @param description one line for {@code systemctl status} and logs
 * @param command the full argv, java binary first
 * @param workingDirectory where the program starts
 * @param stateDirectory where the pid file and logs go (process manager)
 * @param environment extra environment variables, e.g. {@code SEPIA_MACHINE_DIR}
 */
public record ServiceDefinition(
    String serviceName,
    String description,
    List<String> command,
    Path workingDirectory,
    Path stateDirectory,
    Map<String, String> environment) {

  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,200}");
  private static final Pattern VALID_ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public ServiceDefinition {
    if (serviceName == null || !VALID_NAME.matcher(serviceName).matches()) {
      throw new IllegalArgumentException(
          "A service name is letters, digits, '-', '_', '.' or '@': " + serviceName);
    }
    Objects.requireNonNull(description, "description");
    if (description.contains("\n") || description.contains("\r")) {
      throw new IllegalArgumentException("A service description is one line");
    }
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("A service needs a command");
    }
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    TreeMap<String, String> env = new TreeMap<>(environment == null ? Map.of() : environment);
    for (Map.Entry<String, String> entry : env.entrySet()) {
      if (!VALID_ENV_NAME.matcher(entry.getKey()).matches() || entry.getValue() == null) {
        throw new IllegalArgumentException("Not a valid environment variable: " + entry.getKey());
      }
    }
    environment = Collections.unmodifiableSortedMap(env);
  }
}
