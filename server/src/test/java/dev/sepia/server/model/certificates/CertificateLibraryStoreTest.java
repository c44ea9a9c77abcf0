package dev.sepia.server.model.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.Secret;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The certificate library on both engines: what is stored, and the key sealed under it. */
class CertificateLibraryStoreTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void certificates_roundTrip_withKeySealed_andPageByName(DatabaseKind kind) throws Exception {
    Barrier barrier = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));
    CertificateWithKey shop = TestCertificates.selfSigned("shop.example.com");
    CertificateWithKey old = TestCertificates.expired("old.example.com");
    ParsedCertificate withKey =
        CertificateFileReader.read(
            TestCertificates.pfxBase64(shop, "pfx-pass"), "pfx-pass".toCharArray());
    ParsedCertificate certificateOnly =
        CertificateFileReader.read(TestCertificates.certificatePem(old), null);
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      CertificateLibraryStore store = new CertificateLibraryStore(db.jdbi());
      String shopId =
          db.jdbi()
              .inTransaction(
                  h -> CertificateLibraryStore.insert(h, barrier, "Shop TLS", "web", withKey));
      String oldId =
          db.jdbi()
              .inTransaction(
                  h -> CertificateLibraryStore.insert(h, barrier, "Old", null, certificateOnly));

      LibraryCertificate stored = store.find(shopId).orElseThrow();
      assertThat(stored.subject()).isEqualTo("CN=shop.example.com");
      assertThat(stored.issuer()).isEqualTo("CN=shop.example.com");
      assertThat(stored.thumbprint()).isEqualTo(shop.thumbprint());
      assertThat(stored.serialNumber())
          .isEqualTo(shop.certificate().getSerialNumber().toString(16).toUpperCase());
      assertThat(stored.notAfter()).isEqualTo(shop.certificate().getNotAfter().toInstant());
      assertThat(stored.hasPrivateKey()).isTrue();
      assertThat(stored.isExpired(Instant.now())).isFalse();
      assertThat(store.find(oldId).orElseThrow().isExpired(Instant.now())).isTrue();
      assertThat(store.find(oldId).orElseThrow().hasPrivateKey()).isFalse();

      String rawKey =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT private_key FROM certificates WHERE id = :id")
                          .bind("id", shopId)
                          .mapTo(String.class)
                          .one());
      assertThat(rawKey).doesNotContain("PRIVATE KEY");
      Optional<Secret> key =
          db.jdbi().withHandle(h -> CertificateLibraryStore.openPrivateKey(h, barrier, shopId));
      assertThat(new String(key.orElseThrow().chars())).isEqualTo(withKey.privateKeyPem());
      Optional<Secret> noKey =
          db.jdbi().withHandle(h -> CertificateLibraryStore.openPrivateKey(h, barrier, oldId));
      assertThat(noKey).isEmpty();

      assertThat(store.page("SHOP", 0, 10).items())
          .extracting(LibraryCertificate::name)
          .containsExactly("Shop TLS");
      assertThat(store.page(null, 0, 1).items())
          .extracting(LibraryCertificate::name)
          .containsExactly("Old");
      assertThat(store.page(null, 0, 10).totalResults()).isEqualTo(2);

      db.jdbi()
          .useTransaction(
              h -> {
                CertificateLibraryStore.updateDetails(h, oldId, "Archive", "gone");
                CertificateLibraryStore.replaceFile(h, barrier, oldId, withKey);
              });
      LibraryCertificate replaced = store.find(oldId).orElseThrow();
      assertThat(replaced.name()).isEqualTo("Archive");
      assertThat(replaced.thumbprint()).isEqualTo(shop.thumbprint());
      assertThat(replaced.hasPrivateKey()).isTrue();
      Optional<LibraryCertificate> byName =
          db.jdbi().withHandle(h -> CertificateLibraryStore.findByName(h, "archive"));
      assertThat(byName.map(LibraryCertificate::id)).contains(oldId);

      db.jdbi().useTransaction(h -> CertificateLibraryStore.delete(h, shopId));
      assertThat(store.find(shopId)).isEmpty();
    }
  }
}
