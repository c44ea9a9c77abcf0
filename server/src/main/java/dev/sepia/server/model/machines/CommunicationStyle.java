package dev.sepia.server.model.machines;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the server and a Tentacle reach each other. Names follow the Tentacle's --comms-style. */
public enum CommunicationStyle {
  /** Listening Tentacle: the server connects to it (port 10933 by default). */
  TentaclePassive,
  /** Polling Tentacle: it connects to the server's comms port (10943 by default). */
  TentacleActive;

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
