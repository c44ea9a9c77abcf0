package dev.sepia.crypto;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate and its private key, as a server or Tentacle presents in mutual TLS. {@code
 * toString()} names the certificate and never the key.
 */
public record CertificateWithKey(X509Certificate certificate, PrivateKey privateKey) {

  public CertificateWithKey {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /** SHA-256 of the certificate, upper-case hex: what peers pin. */
  public String thumbprint() {
    return Certificates.thumbprint(certificate);
  }

  /** The subject as an RFC 2253 string, e.g. {@code CN=web01}. */
  public String subject() {
    return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  @Override
  public String toString() {
    return "CertificateWithKey{subject="
        + subject()
        + ", thumbprint="
        + thumbprint()
        + ", privateKey=<masked>}";
  }
}
