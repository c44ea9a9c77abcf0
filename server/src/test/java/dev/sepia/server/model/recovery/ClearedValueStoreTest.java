package dev.sepia.server.model.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The values to re-enter are read live from the catalogued columns, on H2 and PostgreSQL. */
class ClearedValueStoreTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void anEntryIsListedWhileItsColumnIsEmpty_andOnlyForCataloguedColumns(DatabaseKind kind) {
    String url = TestDatabases.emptyDatabase(kind, temp);
    try (Database db = Database.open(url, true)) {
      new Schema(db).migrate();
    }
    try (SimulatedRecovery recovery = SimulatedRecovery.open(url);
        Database db = Database.open(url, false)) {
      for (String id : new String[] {"Accounts-1", "Accounts-2", "Accounts-3"}) {
        recovery.execute(
            "INSERT INTO accounts (id, name, kind, username, password, created_at, updated_at)"
                + " VALUES ('"
                + id
                + "', '"
                + id
                + "', 'UsernamePassword', 'deploy', 'sealed', CURRENT_TIMESTAMP,"
                + " CURRENT_TIMESTAMP)");
      }
      ClearedValueStore store = new ClearedValueStore(db.jdbi());
      assertThat(store.latest()).isEmpty();
      assertThat(store.countToReEnter()).isZero();

      String older = recovery.run(Instant.parse("2025-01-01T00:00:00Z"), null, null, false);
      String run = recovery.run(Instant.parse("2025-02-01T00:00:00Z"), "AB12", "/r.md", true);
      for (String id : new String[] {"Accounts-1", "Accounts-2", "Accounts-3"}) {
        recovery.clear(
            run, EncryptedFieldCatalogue.ACCOUNT_PASSWORD, id, "Account " + id, "/a/" + id);
      }
      // Named columns outside the catalogue, or rows that do not exist, are never listed.
      recovery.entry(run, "accounts", "description", "Accounts-1", "Account", "odd", null);
      recovery.entry(
          run,
          "variables",
          "sensitive_value",
          "Variables-gone",
          "Sensitive variable",
          "gone",
          null);

      assertThat(store.latest().orElseThrow().id()).isEqualTo(run);
      assertThat(store.runs()).extracting(RecoveryRun::id).containsExactly(run, older);
      assertThat(store.runs().get(1).completed()).isFalse();
      assertThat(store.countToReEnter()).isEqualTo(3);

      recovery.execute("UPDATE accounts SET password = 'sealed again' WHERE id = 'Accounts-2'");
      recovery.execute("DELETE FROM accounts WHERE id = 'Accounts-3'");

      ClearedValueStore.Page page = store.toReEnter("ACCOUNT", 0, 10);
      assertThat(page.items())
          .extracting(ClearedValue::owner)
          .containsExactly("Account Accounts-1");
      assertThat(page.items().get(0).link()).isEqualTo("/a/Accounts-1");
      assertThat(page.items().get(0).recoveryId()).isEqualTo(run);
      assertThat(page.totalResults()).isEqualTo(1);
      assertThat(page.countsByKind()).containsExactly(java.util.Map.entry("Account", 1));
      assertThat(store.toReEnter("Certificate", 0, 10).items()).isEmpty();
      assertThat(store.toReEnterByKind()).containsOnlyKeys("Account");
    }
  }
}
