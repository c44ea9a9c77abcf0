package dev.sepia.server.engine.health;

import dev.sepia.server.model.machines.Connectivity;
import dev.sepia.server.model.machines.HealthStatus;

/** The outcome of checking one target. */
public record HealthResult(
    HealthStatus status, Connectivity connectivity, String reason, String agentVersion) {}
