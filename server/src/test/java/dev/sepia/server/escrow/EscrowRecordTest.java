package dev.sepia.server.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.TestServer;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Showing, splitting or exporting the key is recorded — which key, when, how — never the key. */
class EscrowRecordTest {
  private static final String ME = "cli:" + System.getProperty("user.name", "unknown");

  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void showingTheKey_recordsWhichKeyWasEscrowed_withAnAuditEvent_andNeverTheKey(DatabaseKind kind) {
    EscrowFixture f = EscrowFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    SymmetricKey key = f.oldKey();
    assertThat(f.escrow().escrowed()).isFalse();
    assertThat(f.escrow().currentKeyId()).isEqualTo(key.keyId());

    EscrowFixture.Run shown = f.old("show-master-key");

    assertThat(shown.out()).isEqualTo(InsecureKeyAccess.toBase64(key) + System.lineSeparator());
    assertThat(shown.err()).contains("Recorded in the database that master key " + key.keyId());
    MasterKeyEscrow.Status status = f.escrow();
    assertThat(status.escrowed()).isTrue();
    MasterKeyEscrow.Escrowed last = status.last().orElseThrow();
    assertThat(last.keyId()).isEqualTo(key.keyId());
    assertThat(last.how()).isEqualTo("printed in full by show-master-key");
    assertThat(last.by()).isEqualTo(ME);

    f.old("show-master-key", "--shares", "5", "--threshold", "3");
    assertThat(f.escrow().last().orElseThrow().how())
        .isEqualTo("split into 5 shares (any 3 recombine it) by show-master-key");

    try (Database db = Database.open(f.url, false)) {
      List<AuditLog.AuditEvent> events =
          new AuditLog(db.jdbi())
              .search(new AuditLog.EventFilter(MasterKeyEscrow.EVENT, null, null, null), 0, 10)
              .items();
      assertThat(events).hasSize(2);
      assertThat(events).allSatisfy(e -> assertThat(e.actor()).isEqualTo(ME));
      assertThat(events.get(1).message())
          .isEqualTo(
              "Master key id "
                  + key.keyId()
                  + " escrowed: printed in full by show-master-key (the key is not kept)");
      String record =
          new DatabaseMetadata(db.jdbi()).get(DatabaseMetadata.MASTER_KEY_ESCROW).orElseThrow();
      assertThat(record).contains(key.keyId()).doesNotContain(InsecureKeyAccess.toBase64(key));
    }
  }

  @Test
  void aLaterKey_needsEscrowingAgain() {
    EscrowFixture f =
        EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    f.old("show-master-key");
    assertThat(f.escrow().escrowed()).isTrue();

    // What a rotation leaves behind: the database now verifies another key.
    SymmetricKey rotated = SymmetricKey.generate();
    try (Database db = Database.open(f.url, false)) {
      db.jdbi()
          .useHandle(
              h ->
                  DatabaseMetadata.put(
                      h, DatabaseMetadata.MASTER_KEY_VERIFIER, MasterKeyVerifier.create(rotated)));
    }

    MasterKeyEscrow.Status status = f.escrow();
    assertThat(status.escrowed()).isFalse();
    assertThat(status.currentKeyId()).isEqualTo(rotated.keyId());
    assertThat(status.last().orElseThrow().keyId()).isEqualTo(f.oldKey().keyId());

    // The old key, shown again, does not count for the new one.
    EscrowFixture.Run shown = f.old("show-master-key");
    assertThat(shown.err()).contains("does not open the instance's database");
    assertThat(f.escrow().escrowed()).isFalse();
  }

  @Test
  void showMasterKey_withTheDatabaseDown_stillPrintsTheKey_andSaysItWasNotRecorded() {
    EscrowFixture f =
        EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    SymmetricKey key = f.oldKey();
    ServerConfig config = EscrowFixture.config(f.oldEnv, EscrowFixture.OLD);
    config.setConnectionString(
        "jdbc:postgresql://127.0.0.1:"
            + TestServer.freePort()
            + "/sepia?user=sepia&password=db-secret-pw");
    config.save();

    EscrowFixture.Run whole = f.old("show-master-key");
    EscrowFixture.Run shares = f.old("show-master-key", "--shares", "3", "--threshold", "2");

    assertThat(whole.exit()).as(whole.toString()).isZero();
    assertThat(whole.out().strip()).isEqualTo(InsecureKeyAccess.toBase64(key));
    assertThat(whole.err())
        .contains("the database could not be reached")
        .contains("was not recorded")
        .contains("I have backed it up")
        .doesNotContain("db-secret-pw");
    assertThat(shares.exit()).as(shares.toString()).isZero();
    assertThat(shares.lines()).hasSize(4);
    assertThat(shares.err()).contains("was not recorded");
  }

  @Test
  void exportingTheKey_isRecordedToo() {
    EscrowFixture f =
        EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    Map<String, String> env = new java.util.HashMap<>(f.oldEnv);
    env.put("P", "passphrase for the export");
    f.must(
        env,
        "export-master-key",
        "--instance",
        EscrowFixture.OLD,
        "--file",
        temp.resolve("key.sepia").toString(),
        "--passphraseEnv",
        "P");

    MasterKeyEscrow.Escrowed last = f.escrow().last().orElseThrow();
    assertThat(f.escrow().escrowed()).isTrue();
    assertThat(last.how())
        .isEqualTo("exported to a passphrase-protected file (key.sepia) by export-master-key");
  }
}
