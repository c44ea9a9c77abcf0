package dev.sepia.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.security.MasterKeyGate;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The store's story on each engine: empty, created, verified, and refusing what it should. */
class SepiaDatabaseTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void newDatabase_isEmpty_thenSepiaAfterCreation(DatabaseKind kind) {
    String url = TestDatabases.emptyDatabase(kind, temp);
    SymmetricKey key = SymmetricKey.generate();
    try (Database db = Database.open(url, true)) {
      DatabaseMetadata metadata = new DatabaseMetadata(db.jdbi());
      assertThat(metadata.inspect()).isEqualTo(DatabaseState.EMPTY);

      new Schema(db).migrate();
      assertThat(metadata.inspect()).isEqualTo(DatabaseState.SEPIA_INCOMPLETE);

      db.jdbi()
          .useTransaction(
              h ->
                  DatabaseMetadata.put(
                      h, DatabaseMetadata.MASTER_KEY_VERIFIER, MasterKeyVerifier.create(key)));
      assertThat(metadata.inspect()).isEqualTo(DatabaseState.SEPIA);
      assertThat(MasterKeyGate.check(metadata, key)).isEqualTo(MasterKeyGate.Verdict.OPENS);
      assertThat(MasterKeyGate.check(metadata, SymmetricKey.generate()))
          .isEqualTo(MasterKeyGate.Verdict.DOES_NOT_OPEN);
      assertThat(new Schema(db).pendingMigrations()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void wrongMasterKey_isRefusedWithTheThreeWaysOut(DatabaseKind kind) {
    String url = TestDatabases.emptyDatabase(kind, temp);
    try (Database db = Database.open(url, true)) {
      new Schema(db).migrate();
      SymmetricKey right = SymmetricKey.generate();
      db.jdbi()
          .useHandle(
              h ->
                  DatabaseMetadata.put(
                      h, DatabaseMetadata.MASTER_KEY_VERIFIER, MasterKeyVerifier.create(right)));
      DatabaseMetadata metadata = new DatabaseMetadata(db.jdbi());
      SymmetricKey wrong = SymmetricKey.generate();
      assertThatThrownBy(() -> MasterKeyGate.require(metadata, wrong, "Default"))
          .isInstanceOf(OperatorException.class)
          .hasMessageContaining("does not open this database")
          .hasMessageContaining(right.keyId())
          .hasMessageContaining("database --instance Default --masterKey")
          .hasMessageContaining("set-master-key")
          .hasMessageContaining("lost-master-key");
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void serverCertificate_roundTripsThroughTheBarrier(DatabaseKind kind) {
    String url = TestDatabases.emptyDatabase(kind, temp);
    try (Database db = Database.open(url, true)) {
      new Schema(db).migrate();
      Barrier barrier = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));
      CertificateWithKey generated = Certificates.generateSelfSigned("Sepia Server");
      ServerCertificateStore store = new ServerCertificateStore(db.jdbi());
      db.jdbi().useTransaction(h -> store.replace(h, barrier, generated));

      assertThat(store.current().orElseThrow().thumbprint()).isEqualTo(generated.thumbprint());
      CertificateWithKey loaded = store.load(barrier);
      assertThat(loaded.thumbprint()).isEqualTo(generated.thumbprint());
      assertThat(loaded.privateKey().getEncoded()).isEqualTo(generated.privateKey().getEncoded());

      Barrier otherKey = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));
      assertThatThrownBy(() -> store.load(otherKey))
          .isInstanceOf(OperatorException.class)
          .hasMessageContaining("cannot be opened with this master key");
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void foreignTables_areRecognised(DatabaseKind kind) {
    String url = TestDatabases.emptyDatabase(kind, temp);
    try (Database db = Database.open(url, true)) {
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE invoices (id INT PRIMARY KEY)"));
      assertThat(new DatabaseMetadata(db.jdbi()).inspect()).isEqualTo(DatabaseState.FOREIGN);
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void missingDatabase_isNotCreatedWithoutCreate(DatabaseKind kind) {
    String url =
        kind == DatabaseKind.H2
            ? "jdbc:h2:file:" + temp.resolve("nothing-here").resolve("sepia")
            : "jdbc:postgresql://localhost:"
                + TestDatabases.postgres().getPort()
                + "/never_created?user=postgres&password=hunter2";
    assertThatThrownBy(() -> Database.open(url, false))
        .isInstanceOf(OperatorException.class)
        .hasMessageContaining("Could not connect")
        .hasMessageNotContaining("hunter2");
    assertThat(temp.resolve("nothing-here")).doesNotExist();
  }

  @Test
  void missingPostgresDatabase_isCreatedWithCreate() {
    String url =
        "jdbc:postgresql://localhost:"
            + TestDatabases.postgres().getPort()
            + "/created_by_sepia_"
            + ProcessHandle.current().pid()
            + "?user=postgres";
    try (Database db = Database.open(url, true)) {
      assertThat(new DatabaseMetadata(db.jdbi()).inspect()).isEqualTo(DatabaseState.EMPTY);
    }
  }
}
