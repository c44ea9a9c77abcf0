package dev.sepia.comms.tls;

import java.security.cert.CertificateException;

/**
 * Thrown by the pinning trust manager when it refuses a peer; the TLS stack chains it into the
 * handshake failure, where the caller finds the {@link PeerRejection} again.
 */
public final class UntrustedCertificateException extends CertificateException {

  private final transient PeerRejection rejection;

  UntrustedCertificateException(PeerRejection rejection) {
    super(rejection.describe());
    this.rejection = rejection;
  }

  public PeerRejection rejection() {
    return rejection;
  }
}
