package dev.sepia.server.model.lifecycles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.environments.EnvironmentStore.EnvironmentSpec;
import dev.sepia.server.model.lifecycles.LifecycleStore.LifecycleSpec;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LifecycleStoreTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void defaultLifecycle_hasOnePhasePerEnvironment_inEnvironmentOrder(DatabaseKind kind) {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      LifecycleStore store = new LifecycleStore(db.jdbi());
      Lifecycle standard = store.defaultLifecycle();
      assertThat(standard.id()).isEqualTo(LifecycleStore.DEFAULT_ID);
      assertThat(standard.isDefault()).isTrue();
      assertThat(standard.phases()).isNull();
      assertThat(store.effectivePhases(standard)).isEmpty();

      String production = insert(db, "Production", 20);
      String test = insert(db, "Test", 10);
      String dev = insert(db, "Dev", 0);

      assertThat(store.effectivePhases(standard))
          .containsExactly(
              new Phase("Dev", List.of(dev)),
              new Phase("Test", List.of(test)),
              new Phase("Production", List.of(production)));

      // Reordering the environments reorders the default lifecycle's phases.
      db.jdbi()
          .useTransaction(
              h -> EnvironmentStore.update(h, dev, new EnvironmentSpec("Dev", null, 30)));
      assertThat(store.effectivePhases(standard))
          .extracting(Phase::name)
          .containsExactly("Test", "Production", "Dev");
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void ownPhases_roundTrip_andNameEnvironmentsThatUseThem(DatabaseKind kind) {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      LifecycleStore store = new LifecycleStore(db.jdbi());
      String test = insert(db, "Test", 0);
      String production = insert(db, "Production", 1);
      List<Phase> phases =
          List.of(new Phase("QA", List.of(test)), new Phase("Live", List.of(production)));
      String id =
          db.jdbi()
              .inTransaction(
                  h -> LifecycleStore.insert(h, new LifecycleSpec("Standard", "two", phases)));

      Lifecycle standard = store.find(id).orElseThrow();
      assertThat(standard.isDefault()).isFalse();
      assertThat(standard.phases()).isEqualTo(phases);
      assertThat(store.effectivePhases(standard)).isEqualTo(phases);
      assertThat(store.list("STAN", 0, 10).items()).extracting(Lifecycle::id).containsExactly(id);
      assertThat(store.list(null, 0, 10).totalResults()).isEqualTo(2);

      Environment testEnvironment = new EnvironmentStore(db.jdbi()).find(test).orElseThrow();
      List<String> using =
          db.jdbi().withHandle(h -> LifecycleStore.phasesUsing(h, testEnvironment));
      assertThat(using).containsExactly("lifecycle 'Standard' (phase 'QA')");

      db.jdbi()
          .useTransaction(
              h ->
                  LifecycleStore.update(
                      h,
                      id,
                      new LifecycleSpec(
                          "Standard", null, List.of(new Phase("All", List.of(production, test))))));
      assertThat(store.find(id).orElseThrow().phases())
          .containsExactly(new Phase("All", List.of(production, test)));
      db.jdbi().useTransaction(h -> LifecycleStore.delete(h, id));
      assertThat(store.find(id)).isEmpty();
    }
  }

  private static String insert(Database db, String name, int sortOrder) {
    return db.jdbi()
        .inTransaction(h -> EnvironmentStore.insert(h, new EnvironmentSpec(name, null, sortOrder)));
  }
}
