package dev.sepia.platform.service;

import java.util.Objects;

/**
 * A service's state as {@code service --status} reports it.
 *
 * @param pid the main process id, or -1 if none
 * @param detail one line for the operator, e.g. {@code "running (pid 4242)"}
 */
public record ServiceStatus(ServiceState state, long pid, String detail) {
  public ServiceStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
  }
}
