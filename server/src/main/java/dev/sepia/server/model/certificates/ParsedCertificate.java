package dev.sepia.server.model.certificates;

import dev.sepia.crypto.Certificates;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate read from an uploaded file, with its private key as PKCS#8 PEM when the file held
 * one. {@code toString()} names the certificate and masks the key.
 */
public record ParsedCertificate(X509Certificate certificate, String privateKeyPem) {

  public boolean hasPrivateKey() {
    return privateKeyPem != null;
  }

  public String subject() {
    return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  public String issuer() {
    return certificate.getIssuerX500Principal().getName(X500Principal.RFC2253);
  }

  public String thumbprint() {
    return Certificates.thumbprint(certificate);
  }

  public String serialNumber() {
    BigInteger serial = certificate.getSerialNumber();
    return serial.toString(16).toUpperCase(Locale.ROOT);
  }

  public String certificatePem() {
    return Certificates.toPem(certificate);
  }

  @Override
  public String toString() {
    return "ParsedCertificate{subject="
        + subject()
        + ", thumbprint="
        + thumbprint()
        + ", privateKey="
        + (hasPrivateKey() ? "<masked>" : "none")
        + "}";
  }
}
