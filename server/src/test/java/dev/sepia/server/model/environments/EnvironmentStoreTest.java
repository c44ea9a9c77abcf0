package dev.sepia.server.model.environments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.model.environments.EnvironmentStore.EnvironmentSpec;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvironmentStoreTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void environments_areListedInSortOrder_andNewOnesGoLast(DatabaseKind kind) {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      EnvironmentStore store = new EnvironmentStore(db.jdbi());
      String test =
          db.jdbi()
              .inTransaction(
                  h -> EnvironmentStore.insert(h, new EnvironmentSpec("Test", "QA", null)));
      String production =
          db.jdbi()
              .inTransaction(
                  h -> EnvironmentStore.insert(h, new EnvironmentSpec("Production", null, null)));
      db.jdbi()
          .useTransaction(
              h -> EnvironmentStore.insert(h, new EnvironmentSpec("Development", null, -5)));

      assertThat(store.find(test).orElseThrow().sortOrder()).isZero();
      assertThat(store.find(production).orElseThrow().sortOrder()).isEqualTo(1);
      assertThat(store.listAll())
          .extracting(Environment::name)
          .containsExactly("Development", "Test", "Production");
      assertThat(store.findByName("PRODUCTION").orElseThrow().id()).isEqualTo(production);
      assertThat(store.list("o", 0, 10).items())
          .extracting(Environment::name)
          .containsExactly("Development", "Production");
      assertThat(store.list("o", 1, 10).totalResults()).isEqualTo(2);
      assertThat(store.list(null, 1, 1).items())
          .extracting(Environment::name)
          .containsExactly("Test");

      db.jdbi()
          .useTransaction(
              h -> EnvironmentStore.update(h, test, new EnvironmentSpec("Staging", "pre", null)));
      Environment staging = store.find(test).orElseThrow();
      assertThat(staging.name()).isEqualTo("Staging");
      assertThat(staging.description()).isEqualTo("pre");
      assertThat(staging.sortOrder()).as("kept when not given").isZero();

      db.jdbi().useTransaction(h -> EnvironmentStore.delete(h, test));
      assertThat(store.find(test)).isEmpty();
      assertThat(store.listAll()).hasSize(2);
    }
  }
}
