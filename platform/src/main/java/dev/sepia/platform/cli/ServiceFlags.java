package dev.sepia.platform.cli;

import dev.sepia.platform.service.ReadinessProbe;
import dev.sepia.platform.service.ServiceDefinition;
import dev.sepia.platform.service.ServiceManager;
import dev.sepia.platform.service.ServiceStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The flags of a {@code service} command (a picocli mixin) and what they do, shared by the server
 * and the Tentacle. Flags combine and run in the order stop, uninstall, install, start, status;
 * restart is stop then start.
 */
public final class ServiceFlags {
  @Option(names = "--install", description = "Install the service.")
  boolean install;

  @Option(names = "--uninstall", description = "Stop and remove the service.")
  boolean uninstall;

  @Option(names = "--start", description = "Start the service and wait until it answers.")
  boolean start;

  @Option(names = "--stop", description = "Stop the service.")
  boolean stop;

  @Option(names = "--restart", description = "Stop, then start the service.")
  boolean restart;

  @Option(names = "--status", description = "Show whether the service is running.")
  boolean status;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "Seconds to wait for start or stop (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** Bad usage is refused before anything happens. */
  public void validate() {
    if (!(install || uninstall || start || stop || restart || status)) {
      throw new OperatorException(
          "Say what to do: --install, --start, --stop, --restart, --uninstall or --status.", 2);
    }
    if (timeoutSeconds < 1) {
      throw new OperatorException("--timeout must be at least 1 second.", 2);
    }
  }

  public boolean starts() {
    return start || restart;
  }

  /**
   * Carries out the flags.
   *
   * @param preflight checks the instance can start (master key, database, certificate, …) so a
   *     refusal shows here rather than only in the service's log
   * @return whether a start happened
   */
  public boolean apply(
      ServiceManager manager,
      ServiceDefinition definition,
      ReadinessProbe probe,
      Runnable preflight,
      PrintWriter out) {
    validate();
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    String name = definition.serviceName();
    if (stop || restart) {
      report(manager.stop(definition, timeout), name, out);
    }
    if (uninstall) {
      manager.uninstall(definition);
      out.println("Service " + name + " removed (" + manager.kind() + ").");
    }
    if (install) {
      manager.install(definition);
      out.println("Service " + name + " installed (" + manager.kind() + ").");
    }
    if (starts()) {
      preflight.run();
      out.println("Starting " + name + "…");
      out.flush();
      report(manager.start(definition, probe, timeout), name, out);
    }
    if (status) {
      report(manager.status(definition), name, out);
    }
    return starts();
  }

  private static void report(ServiceStatus s, String name, PrintWriter out) {
    String state = s.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    String detail = s.detail() == null || s.detail().isBlank() ? state : s.detail();
    out.println(name + ": " + detail);
  }
}
