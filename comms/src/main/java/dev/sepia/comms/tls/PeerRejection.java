package dev.sepia.comms.tls;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * This side refused a peer's certificate: who we are, who knocked, what it presented and what we
 * trust. {@link #describe()} is the message for the operator, with the command that fixes it.
 *
 * @param localRole {@code "server"} or {@code "tentacle"}: the side that refused
 * @param peerAddress {@code host:port} of the peer, or {@code "unknown"}
 * @param presentedThumbprint the peer certificate's thumbprint, or null if it presented none
 * @param presentedSubject the peer certificate's subject, or null if it presented none
 * @param trustedThumbprints what this side trusts
 */
public record PeerRejection(
    String localRole,
    String peerAddress,
    String presentedThumbprint,
    String presentedSubject,
    Set<String> trustedThumbprints) {

  /** Beyond this many, the message counts the rest: a server may trust thousands of Tentacles. */
  private static final int LISTED_THUMBPRINTS = 5;

  public PeerRejection {
    Objects.requireNonNull(localRole, "localRole");
    if (!localRole.equals(Roles.SERVER) && !localRole.equals(Roles.TENTACLE)) {
      throw new IllegalArgumentException("localRole must be 'server' or 'tentacle': " + localRole);
    }
    peerAddress = peerAddress == null || peerAddress.isBlank() ? "unknown" : peerAddress;
    trustedThumbprints = trustedThumbprints == null ? Set.of() : Set.copyOf(trustedThumbprints);
  }

  /** The operator message: what was refused, what is trusted, and the command that fixes it. */
  public String describe() {
    boolean tentacle = localRole.equals(Roles.TENTACLE);
    String peer = tentacle ? "A server" : "A Tentacle";
    String self = tentacle ? "this Tentacle" : "this server";
    if (presentedThumbprint == null) {
      return peer
          + " at "
          + peerAddress
          + " connected but presented no client certificate, so "
          + self
          + " refused it. Sepia peers always present their certificate; this was probably"
          + " another program (a browser, a port scanner or a load balancer health check).";
    }
    String presented =
        peer
            + " at "
            + peerAddress
            + " presented a certificate with thumbprint '"
            + presentedThumbprint
            + "' ("
            + (presentedSubject == null ? "no subject" : presentedSubject)
            + "), which "
            + self
            + " does not trust. Trusted thumbprints: "
            + listTrusted()
            + ". ";
    if (tentacle) {
      return presented
          + "If the server's certificate was replaced, run on this Tentacle: sepia-tentacle"
          + " configure --trust="
          + presentedThumbprint
          + " (or --reset-trust --trust="
          + presentedThumbprint
          + " to trust only it), then restart the Tentacle.";
    }
    return presented
        + "If that Tentacle is new or its certificate was replaced (sepia-tentacle"
        + " new-certificate), register it or update its thumbprint to "
        + presentedThumbprint
        + " on the server; otherwise another machine is answering at that address.";
  }

  private String listTrusted() {
    if (trustedThumbprints.isEmpty()) {
      return "(none)";
    }
    String listed =
        trustedThumbprints.stream()
            .sorted()
            .limit(LISTED_THUMBPRINTS)
            .collect(Collectors.joining(", "));
    int more = trustedThumbprints.size() - LISTED_THUMBPRINTS;
    return more > 0 ? listed + " and " + more + " more" : listed;
  }
}
