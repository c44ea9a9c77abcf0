package dev.sepia.comms.tls;

import java.util.Collection;
import java.util.Set;

/**
 * The certificate thumbprints one side trusts. Implementations are live views: the server's set of
 * registered polling Tentacles changes while it runs, and each TLS handshake asks again.
 * Thumbprints are SHA-256, upper-case hex, as {@code Certificates.thumbprint} makes them.
 */
public interface TrustedThumbprints {

  /** Whether a peer presenting a certificate with this thumbprint is trusted. */
  boolean isTrusted(String thumbprint);

  /** Every trusted thumbprint, for messages that tell an operator what is trusted. */
  Set<String> all();

  /**
   * A fixed set. Input may be in any case, with or without colons.
   *
   * @throws IllegalArgumentException if one of them is not a thumbprint
   */
  static TrustedThumbprints of(Collection<String> thumbprints) {
    return new FixedThumbprints(thumbprints);
  }
}
