package dev.sepia.tentacle.trust;

import java.util.Locale;

/**
 * How a trusted server and this Tentacle reach each other. The wire and config names are Octopus's,
 * so an operator's runbook carries over.
 */
public enum CommunicationStyle {
  /** Listening: the server connects to this Tentacle (port 10933 by default). */
  TENTACLE_PASSIVE("TentaclePassive"),
  /** Polling: this Tentacle connects to the server (port 10943 by default). */
  TENTACLE_ACTIVE("TentacleActive");

  private final String configName;

  CommunicationStyle(String configName) {
    this.configName = configName;
  }

  /** {@code TentaclePassive} or {@code TentacleActive}, as written in config files and the API. */
  public String configName() {
    return configName;
  }

  /**
   * Reads {@code TentaclePassive} or {@code TentacleActive} in any case.
   *
   * @throws IllegalArgumentException naming both accepted values
   */
  public static CommunicationStyle parse(String text) {
    if (text != null) {
      String wanted = text.trim().toLowerCase(Locale.ROOT);
      for (CommunicationStyle style : values()) {
        if (style.configName.toLowerCase(Locale.ROOT).equals(wanted)) {
          return style;
        }
      }
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not a communication style: use TentaclePassive (the server connects to this"
            + " Tentacle) or TentacleActive (this Tentacle polls the server).");
  }

  @Override
  public String toString() {
    return configName;
  }
}
