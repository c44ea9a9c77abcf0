package dev.sepia.server.model.certificates;

import java.time.Instant;

/**
 * A certificate in the library, as the API shows it. The private key stays sealed in the store;
 * this says only whether there is one.
 *
 * @param subject and {@code issuer}: RFC 2253 names, e.g. {@code CN=shop.example.com,O=Example}
 * @param thumbprint SHA-256 of the DER certificate, upper-case hex
 * @param serialNumber upper-case hex
 * @param certificatePem the certificate (public) in PEM form
 */
public record LibraryCertificate(
    String id,
    String name,
    String description,
    String subject,
    String issuer,
    String thumbprint,
    String serialNumber,
    Instant notBefore,
    Instant notAfter,
    boolean hasPrivateKey,
    String certificatePem) {

  public boolean isExpired(Instant now) {
    return now.isAfter(notAfter);
  }
}
