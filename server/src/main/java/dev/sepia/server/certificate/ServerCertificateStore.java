package dev.sepia.server.certificate;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Reads and replaces the server certificate; the private key goes through the barrier. */
public final class ServerCertificateStore {
  public static final String COMMON_NAME = "Sepia Server";
  private static final String ROW_ID = "server";

  private final Jdbi jdbi;

  public ServerCertificateStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<StoredCertificate> current() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT thumbprint, subject, not_after FROM server_certificate WHERE id = :id")
                .bind("id", ROW_ID)
                .map(
                    (rs, ctx) ->
                        new StoredCertificate(
                            rs.getString("thumbprint"),
                            rs.getString("subject"),
                            rs.getTimestamp("not_after").toInstant()))
                .findOne());
  }

  /** The certificate with its private key; fails plainly if the key cannot be opened. */
  public CertificateWithKey load(Barrier barrier) {
    record Row(String der, String privateKey) {}
    Row row =
        jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT certificate_der, private_key FROM server_certificate"
                                + " WHERE id = :id")
                        .bind("id", ROW_ID)
                        .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2)))
                        .findOne())
            .orElseThrow(
                () ->
                    new OperatorException(
                        "This server has no certificate yet. Create one with: sepia-server"
                            + " new-certificate"));
    try {
      X509Certificate certificate =
          Certificates.decodeCertificate(Base64.getDecoder().decode(row.der()));
      byte[] keyBytes =
          barrier.open(
              EncryptedFieldCatalogue.SERVER_CERTIFICATE_PRIVATE_KEY, ROW_ID, row.privateKey());
      PrivateKey key = Certificates.decodePrivateKey(keyBytes);
      return new CertificateWithKey(certificate, key);
    } catch (GeneralSecurityException e) {
      throw new OperatorException(
          "The server certificate's private key cannot be opened with this master key ("
              + e.getMessage()
              + "). If the master key is lost, run lost-master-key; otherwise give the right key"
              + " with database --masterKey.");
    }
  }

  /** Stores {@code certificate} as the server certificate, replacing any previous one. */
  public void replace(Handle h, Barrier barrier, CertificateWithKey certificate) {
    String sealedKey =
        barrier.seal(
            EncryptedFieldCatalogue.SERVER_CERTIFICATE_PRIVATE_KEY,
            ROW_ID,
            Certificates.encodePrivateKey(certificate.privateKey()));
    String der;
    try {
      der = Base64.getEncoder().encodeToString(certificate.certificate().getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("The certificate cannot be encoded", e);
    }
    h.createUpdate("DELETE FROM server_certificate WHERE id = :id").bind("id", ROW_ID).execute();
    h.createUpdate(
            "INSERT INTO server_certificate"
                + " (id, subject, thumbprint, not_after, certificate_der, private_key, created_at)"
                + " VALUES (:id, :subject, :thumbprint, :notAfter, :der, :key, :createdAt)")
        .bind("id", ROW_ID)
        .bind("subject", certificate.subject())
        .bind("thumbprint", certificate.thumbprint())
        .bind("notAfter", certificate.certificate().getNotAfter().toInstant())
        .bind("der", der)
        .bind("key", sealedKey)
        .bind("createdAt", Instant.now())
        .execute();
  }
}
