package dev.sepia.server.model.machines;

/** A target's health after its last check. */
public enum HealthStatus {
  Unknown,
  Healthy,
  HasWarnings,
  Unhealthy,
  Unavailable
}
