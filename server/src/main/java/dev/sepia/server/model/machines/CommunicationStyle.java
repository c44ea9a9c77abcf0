package dev.sepia.server.model.machines;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the server reaches a target. The Tentacle styles' names follow the Tentacle's --comms-style.
 */
public enum CommunicationStyle {
  /** Listening Tentacle: the server connects to it (port 10933 by default). */
  TentaclePassive,
  /** Polling Tentacle: it connects to the server's comms port (10943 by default). */
  TentacleActive,
  /** An SSH server: scripts run over SSH with an account's credentials. */
  Ssh,
  /** Offline package drop: a deployment writes a bundle to a folder, to be run elsewhere. */
  OfflineDrop;

  public boolean isTentacle() {
    return this == TentaclePassive || this == TentacleActive;
  }

  public static CommunicationStyle parse(String value) {
    for (CommunicationStyle s : values()) {
      if (s.name().equalsIgnoreCase(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "communicationStyle must be one of "
            + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
  }
}
