package dev.sepia.platform.service;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs this same program (same Java, same class path) as a service. */
public final class JavaServiceCommand {
  private JavaServiceCommand() {}

  /**
   * {@code java -Dsepia.service=NAME -cp <absolute class path> MAIN ARGS…}. The marker property
   * lets the service manager recognise its own process and never signal a recycled pid.
   */
  public static List<String> sameProgram(String serviceName, Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Dsepia.service=" + serviceName);
    command.add("-cp");
    command.add(absoluteClassPath(System.getProperty("java.class.path")));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The class path with every entry made absolute: the service starts in the instance's home
   * folder, where a class path relative to wherever the operator ran the command finds nothing.
   */
  static String absoluteClassPath(String classPath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
