package dev.sepia.server.model.machines;

import java.time.Instant;
import java.util.List;

/**
 * A deployment target as stored: a Tentacle (thumbprint, and its address when listening), an SSH
 * target ({@link #ssh()}), or an offline package drop ({@link #dropFolder()}; its bundle password
 * is sealed and only its presence is shown here).
 */
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
    Instant healthCheckedAt,
    SshSettings ssh,
    String dropFolder,
    boolean dropPasswordSet) {

  /** Whether the server talks to this target through a Tentacle (listening or polling). */
  public boolean isTentacle() {
    return communicationStyle.isTentacle();
  }
}
