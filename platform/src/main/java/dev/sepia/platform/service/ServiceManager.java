package dev.sepia.platform.service;

import java.time.Duration;

/**
 * Installs, starts and stops a program as a service. Failures an operator can act on are thrown as
 * {@link dev.sepia.platform.cli.OperatorException}.
 */
public interface ServiceManager {

  /** {@code "systemd"} or {@code "process"}, for messages and {@code --status}. */
  String kind();

  /** Makes the service known (and, where the platform can, started at boot). Repeatable. */
  void install(ServiceDefinition d);

  /** Stops the service if it runs and forgets it. Uninstalling one not installed does nothing. */
  void uninstall(ServiceDefinition d);

  /**
   * Starts the service and waits until {@code probe} says it is ready, the process dies (an error
   * with the reason), or {@code timeout} passes (an error; the service is left starting).
   */
  ServiceStatus start(ServiceDefinition d, ReadinessProbe probe, Duration timeout);

  /** Asks the service to stop, and kills it if it has not stopped within {@code timeout}. */
  ServiceStatus stop(ServiceDefinition d, Duration timeout);

  ServiceStatus status(ServiceDefinition d);

  /** Stops, then starts; the same timeout applies to each. */
  default ServiceStatus restart(ServiceDefinition d, ReadinessProbe probe, Duration timeout) {
    stop(d, timeout);
    return start(d, probe, timeout);
  }
}
