package dev.sepia.server.model.machines;

import java.time.Instant;
import java.util.List;

/** A deployment target as stored. */
public record Machine(
    String id,
    String name,
    String thumbprint,
    CommunicationStyle communicationStyle,
    String uri,
    List<String> environments,
    List<String> roles,
    HealthStatus healthStatus,
    Connectivity connectivity,
    String healthReason,
    String agentVersion,
    Instant healthCheckedAt) {}
