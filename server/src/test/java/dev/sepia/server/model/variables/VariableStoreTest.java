package dev.sepia.server.model.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.DecryptionFailedException;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.model.variables.VariableStore.VariableSpec;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VariableStoreTest {
  @TempDir Path temp;
  final Barrier barrier = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void variables_areReplacedWhole_andSensitiveValuesStaySealedToTheirRow(DatabaseKind kind)
      throws Exception {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      VariableStore store = new VariableStore(db.jdbi());
      db.jdbi()
          .useTransaction(
              h ->
                  VariableStore.replace(
                      h,
                      barrier,
                      "Projects-1",
                      List.of(
                          new VariableSpec(
                              null,
                              "Url",
                              false,
                              "https://shop",
                              List.of("Environments-1"),
                              List.of("web"),
                              List.of("Machines-1")),
                          new VariableSpec(null, "DbPassword", true, "s3cret", null, null, null))));
      List<StoredVariable> stored = store.list("Projects-1");
      assertThat(stored).extracting(StoredVariable::name).containsExactly("Url", "DbPassword");
      StoredVariable url = stored.get(0);
      assertThat(url.plainValue()).isEqualTo("https://shop");
      assertThat(url.environmentIds()).containsExactly("Environments-1");
      assertThat(url.roles()).containsExactly("web");
      assertThat(url.machineIds()).containsExactly("Machines-1");
      StoredVariable password = stored.get(1);
      assertThat(password.sensitive()).isTrue();
      assertThat(password.plainValue()).isNull();
      assertThat(password.sealedValue()).doesNotContain("s3cret");
      assertThat(password.toString())
          .doesNotContain(password.sealedValue())
          .doesNotContain("s3cret");
      assertThat(VariableStore.open(barrier, password)).isEqualTo("s3cret");

      // Kept by id with no value: the sealed value stays and still opens; order follows the list.
      db.jdbi()
          .useTransaction(
              h ->
                  VariableStore.replace(
                      h,
                      barrier,
                      "Projects-1",
                      List.of(
                          new VariableSpec(
                              password.id(), "DbPassword", true, null, null, null, null),
                          new VariableSpec(null, "Other", true, "x", null, null, null))));
      List<StoredVariable> after = store.list("Projects-1");
      assertThat(after).extracting(StoredVariable::name).containsExactly("DbPassword", "Other");
      assertThat(after.get(0).id()).isEqualTo(password.id());
      assertThat(VariableStore.open(barrier, after.get(0))).isEqualTo("s3cret");

      // A sealed value moved onto another row does not open.
      StoredVariable moved =
          new StoredVariable(
              after.get(1).id(),
              "Projects-1",
              "Other",
              true,
              null,
              password.sealedValue(),
              List.of(),
              List.of(),
              List.of(),
              1);
      assertThatThrownBy(() -> VariableStore.open(barrier, moved))
          .isInstanceOf(DecryptionFailedException.class);

      // Keeping a value that a new variable does not have is refused, and nothing changes.
      assertThatThrownBy(
              () ->
                  db.jdbi()
                      .useTransaction(
                          h ->
                              VariableStore.replace(
                                  h,
                                  barrier,
                                  "Projects-1",
                                  List.of(
                                      new VariableSpec(
                                          null, "New", true, null, null, null, null)))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.list("Projects-1")).hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void scopes_canBeFoundByEnvironmentAndMachine(DatabaseKind kind) {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      db.jdbi()
          .useTransaction(
              h -> {
                VariableStore.replace(
                    h,
                    barrier,
                    "Projects-1",
                    List.of(
                        new VariableSpec(
                            null, "A", false, "1", List.of("Environments-1"), null, null),
                        new VariableSpec(
                            null,
                            "B",
                            false,
                            "2",
                            List.of("Environments-1", "Environments-2"),
                            null,
                            List.of("Machines-9"))));
                VariableStore.replace(
                    h,
                    barrier,
                    "LibraryVariableSets-1",
                    List.of(
                        new VariableSpec(
                            null, "C", false, "3", List.of("Environments-1"), null, null)));
              });
      db.jdbi()
          .useHandle(
              h -> {
                assertThat(VariableStore.scopedToEnvironment(h, "Environments-1"))
                    .isEqualTo(Map.of("Projects-1", 2, "LibraryVariableSets-1", 1));
                assertThat(VariableStore.scopedToEnvironment(h, "Environments-3")).isEmpty();
                assertThat(VariableStore.scopedToMachine(h, "Machines-9"))
                    .isEqualTo(Map.of("Projects-1", 1));
              });
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void librarySets_roundTrip_andDeletingOneRemovesItsVariables(DatabaseKind kind) {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      LibraryVariableSetStore sets = new LibraryVariableSetStore(db.jdbi());
      String id =
          db.jdbi().inTransaction(h -> LibraryVariableSetStore.insert(h, "Common", "shared"));
      db.jdbi().useTransaction(h -> LibraryVariableSetStore.insert(h, "Mail", null));
      assertThat(sets.find(id).orElseThrow())
          .isEqualTo(new LibraryVariableSet(id, "Common", "shared"));
      assertThat(sets.list("MMO", 0, 10).items())
          .extracting(LibraryVariableSet::name)
          .containsExactly("Common");
      assertThat(sets.list(null, 0, 10).totalResults()).isEqualTo(2);
      db.jdbi().useTransaction(h -> LibraryVariableSetStore.update(h, id, "Shared", null));
      LibraryVariableSet shared =
          db.jdbi().withHandle(h -> LibraryVariableSetStore.findByName(h, "shared").orElseThrow());
      assertThat(shared.id()).isEqualTo(id);
      db.jdbi()
          .useTransaction(
              h ->
                  VariableStore.replace(
                      h,
                      barrier,
                      id,
                      List.of(new VariableSpec(null, "Smtp", true, "pw", null, null, null))));
      db.jdbi().useTransaction(h -> LibraryVariableSetStore.delete(h, id));
      assertThat(sets.find(id)).isEmpty();
      assertThat(new VariableStore(db.jdbi()).list(id)).isEmpty();
    }
  }
}
