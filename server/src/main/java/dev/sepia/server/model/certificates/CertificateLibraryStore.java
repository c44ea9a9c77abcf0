package dev.sepia.server.model.certificates;

import dev.sepia.crypto.Secret;
import dev.sepia.server.recovery.ClearedValues;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.NamedPages;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The certificate library in the database. The certificate is stored as public PEM with the facts
 * people search by; its private key, if any, is sealed through the {@link Barrier} as PKCS#8 PEM
 * and comes back out only through {@link #openPrivateKey}.
 */
public final class CertificateLibraryStore {
  private static final String COLUMNS =
      "id, name, description, subject, issuer, thumbprint, serial_number, not_before, not_after,"
          + " private_key IS NOT NULL AS has_private_key, certificate_pem";

  private static final RowMapper<LibraryCertificate> CERTIFICATE =
      (rs, ctx) ->
          new LibraryCertificate(
              rs.getString("id"),
              rs.getString("name"),
              rs.getString("description"),
              rs.getString("subject"),
              rs.getString("issuer"),
              rs.getString("thumbprint"),
              rs.getString("serial_number"),
              rs.getTimestamp("not_before").toInstant(),
              rs.getTimestamp("not_after").toInstant(),
              rs.getBoolean("has_private_key"),
              rs.getString("certificate_pem"));

  private final Jdbi jdbi;

  public CertificateLibraryStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public record Page(List<LibraryCertificate> items, int totalResults) {}

  /** Certificates ordered by name; {@code nameFilter} (case-insensitive contains) may be null. */
  public Page page(String nameFilter, int skip, int take) {
    NamedPages.Result<LibraryCertificate> result =
        NamedPages.find(
            jdbi, "certificates", COLUMNS, "name", "name", CERTIFICATE, nameFilter, skip, take);
    return new Page(result.items(), result.totalResults());
  }

  public Optional<LibraryCertificate> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  public static Optional<LibraryCertificate> find(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM certificates WHERE id = :id")
        .bind("id", id)
        .map(CERTIFICATE)
        .findOne();
  }

  /** The certificate with this name, compared without regard to case. */
  public static Optional<LibraryCertificate> findByName(Handle h, String name) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM certificates WHERE LOWER(name) = LOWER(:name)")
        .bind("name", name.trim())
        .map(CERTIFICATE)
        .findOne();
  }

  /**
   * Adds a certificate to the library, sealing its private key if it has one.
   *
   * @return the new certificate's id
   */
  public static String insert(
      Handle h, Barrier barrier, String name, String description, ParsedCertificate file) {
    String id = "Certificates-" + UUID.randomUUID();
    Instant now = Instant.now();
    h.createUpdate(
            "INSERT INTO certificates (id, name, description, subject, issuer, thumbprint,"
                + " serial_number, not_before, not_after, certificate_pem, private_key,"
                + " created_at, updated_at) VALUES (:id, :name, :description, :subject, :issuer,"
                + " :thumbprint, :serial, :notBefore, :notAfter, :pem, :key, :now, :now)")
        .bind("id", id)
        .bind("name", name.trim())
        .bind("description", description)
        .bind("subject", file.subject())
        .bind("issuer", file.issuer())
        .bind("thumbprint", file.thumbprint())
        .bind("serial", file.serialNumber())
        .bind("notBefore", file.certificate().getNotBefore().toInstant())
        .bind("notAfter", file.certificate().getNotAfter().toInstant())
        .bind("pem", file.certificatePem())
        .bind("key", sealedKey(barrier, id, file))
        .bind("now", now)
        .execute();
    return id;
  }

  /** Renames or re-describes a certificate; the file stays as it is. */
  public static void updateDetails(Handle h, String id, String name, String description) {
    h.createUpdate(
            "UPDATE certificates SET name = :name, description = :description, updated_at = :now"
                + " WHERE id = :id")
        .bind("id", id)
        .bind("name", name.trim())
        .bind("description", description)
        .bind("now", Instant.now())
        .execute();
  }

  /** Replaces the certificate file (and the key with it: a file without one clears it). */
  public static void replaceFile(Handle h, Barrier barrier, String id, ParsedCertificate file) {
    h.createUpdate(
            "UPDATE certificates SET subject = :subject, issuer = :issuer, thumbprint ="
                + " :thumbprint, serial_number = :serial, not_before = :notBefore, not_after ="
                + " :notAfter, certificate_pem = :pem, private_key = :key, updated_at = :now"
                + " WHERE id = :id")
        .bind("id", id)
        .bind("subject", file.subject())
        .bind("issuer", file.issuer())
        .bind("thumbprint", file.thumbprint())
        .bind("serial", file.serialNumber())
        .bind("notBefore", file.certificate().getNotBefore().toInstant())
        .bind("notAfter", file.certificate().getNotAfter().toInstant())
        .bind("pem", file.certificatePem())
        .bind("key", sealedKey(barrier, id, file))
        .bind("now", Instant.now())
        .execute();
  }

  public static void delete(Handle h, String id) {
    h.createUpdate("DELETE FROM certificates WHERE id = :id").bind("id", id).execute();
  }

  /**
   * The certificate's private key as PKCS#8 PEM, or empty when it has none.
   *
   * @throws IllegalArgumentException if there is no such certificate
   * @throws IllegalStateException if the key does not open with the current master key, or a
   *     recovery from a lost master key cleared it (upload the certificate again)
   */
  public static Optional<Secret> openPrivateKey(Handle h, Barrier barrier, String id) {
    record Row(String name, String sealed) {}
    Row row =
        h.createQuery("SELECT name, private_key FROM certificates WHERE id = :id")
            .bind("id", id)
            .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2)))
            .findOne()
            .orElseThrow(
                () -> new IllegalArgumentException("There is no certificate with id " + id));
    if (row.sealed() == null) {
      var field = EncryptedFieldCatalogue.LIBRARY_CERTIFICATE_PRIVATE_KEY;
      if (ClearedValues.wasCleared(h, field, id)) {
        throw new IllegalStateException(ClearedValues.failure(h, field, id).getMessage());
      }
      return Optional.empty();
    }
    try {
      return Optional.of(
          Secret.of(
              barrier.openString(
                  EncryptedFieldCatalogue.LIBRARY_CERTIFICATE_PRIVATE_KEY, id, row.sealed())));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "The private key of certificate '"
              + row.name()
              + "' cannot be opened with this server's master key ("
              + e.getMessage()
              + "). Upload the certificate again.");
    }
  }

  private static String sealedKey(Barrier barrier, String id, ParsedCertificate file) {
    return file.hasPrivateKey()
        ? barrier.seal(
            EncryptedFieldCatalogue.LIBRARY_CERTIFICATE_PRIVATE_KEY, id, file.privateKeyPem())
        : null;
  }
}
