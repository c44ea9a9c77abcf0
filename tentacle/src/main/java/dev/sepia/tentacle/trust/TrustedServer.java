package dev.sepia.tentacle.trust;

import java.net.URI;
import java.util.Objects;

/**
 * One server this Tentacle obeys: its certificate thumbprint, and how they talk. A polling ({@link
 * CommunicationStyle#TENTACLE_ACTIVE}) entry carries the address this Tentacle dials, e.g. {@code
 * https://server:10943/}; a listening entry has none.
 *
 * @param thumbprint upper-case hex SHA-256 of the server's certificate
 * @param address null unless polling
 */
public record TrustedServer(String thumbprint, CommunicationStyle communicationStyle, URI address) {
  public TrustedServer {
    Objects.requireNonNull(thumbprint, "thumbprint");
    Objects.requireNonNull(communicationStyle, "communicationStyle");
  }

  /** A server that connects to this listening Tentacle. */
  public static TrustedServer listening(String thumbprint) {
    return new TrustedServer(thumbprint, CommunicationStyle.TENTACLE_PASSIVE, null);
  }

  /** Whether this Tentacle should poll this server. */
  public boolean polls() {
    return communicationStyle == CommunicationStyle.TENTACLE_ACTIVE && address != null;
  }

  /** One line for an operator, e.g. {@code 3F…A1 (TentacleActive, https://deploy:10943/)}. */
  public String describe() {
    return thumbprint
        + " ("
        + communicationStyle.configName()
        + (address == null ? "" : ", " + address)
        + ")";
  }
}
