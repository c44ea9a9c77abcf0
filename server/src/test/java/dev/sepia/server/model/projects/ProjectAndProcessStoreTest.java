package dev.sepia.server.model.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.model.lifecycles.LifecycleStore;
import dev.sepia.server.model.projects.ProcessStore.StepSpec;
import dev.sepia.server.model.projects.ProjectStore.ProjectSpec;
import dev.sepia.server.model.variables.VariableStore;
import dev.sepia.server.model.variables.VariableStore.VariableSpec;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProjectAndProcessStoreTest {
  @TempDir Path temp;
  final Barrier barrier = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void project_roundTrips_andDeletingItRemovesItsProcessAndVariables(DatabaseKind kind) {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      ProjectStore store = new ProjectStore(db.jdbi());
      String id =
          db.jdbi()
              .inTransaction(
                  h ->
                      ProjectStore.insert(
                          h,
                          new ProjectSpec(
                              "Shop", "web shop", LifecycleStore.DEFAULT_ID, List.of("Sets-1"))));
      Project shop = store.find(id).orElseThrow();
      assertThat(shop.lifecycleId()).isEqualTo(LifecycleStore.DEFAULT_ID);
      assertThat(shop.libraryVariableSetIds()).containsExactly("Sets-1");
      assertThat(store.findByName("shop").orElseThrow().id()).isEqualTo(id);
      assertThat(store.list("HO", 0, 5).items()).extracting(Project::name).containsExactly("Shop");
      db.jdbi()
          .useHandle(
              h -> {
                assertThat(ProjectStore.namesUsingLifecycle(h, LifecycleStore.DEFAULT_ID))
                    .containsExactly("Shop");
                assertThat(ProjectStore.namesUsingLibrarySet(h, "Sets-1")).containsExactly("Shop");
                assertThat(ProjectStore.namesUsingLibrarySet(h, "Sets-2")).isEmpty();
              });

      db.jdbi()
          .useTransaction(
              h -> {
                ProcessStore.replace(
                    h, barrier, id, List.of(step(null, "Deploy", Map.of("Token", "t0ken"))));
                VariableStore.replace(
                    h,
                    barrier,
                    id,
                    List.of(new VariableSpec(null, "Url", false, "https://x", null, null, null)));
              });
      db.jdbi().useTransaction(h -> ProjectStore.delete(h, id));
      assertThat(store.find(id)).isEmpty();
      assertThat(new ProcessStore(db.jdbi()).steps(id)).isEmpty();
      assertThat(new VariableStore(db.jdbi()).list(id)).isEmpty();
      int parameters =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT COUNT(*) FROM step_sensitive_parameters")
                          .mapTo(Integer.class)
                          .one());
      assertThat(parameters).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void process_isReplacedWhole_keepingIdsAndSensitiveValuesAsAsked(DatabaseKind kind)
      throws Exception {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      ProcessStore process = new ProcessStore(db.jdbi());
      String project =
          db.jdbi()
              .inTransaction(
                  h ->
                      ProjectStore.insert(
                          h, new ProjectSpec("Shop", null, LifecycleStore.DEFAULT_ID, List.of())));
      db.jdbi()
          .useTransaction(
              h ->
                  ProcessStore.replace(
                      h,
                      barrier,
                      project,
                      List.of(
                          step(null, "Stop", Map.of()),
                          step(null, "Deploy", Map.of("Password", "pa55", "Token", "t0ken")))));
      List<DeploymentStep> steps = process.steps(project);
      assertThat(steps).extracting(DeploymentStep::name).containsExactly("Stop", "Deploy");
      DeploymentStep deploy = steps.get(1);
      assertThat(deploy.kind()).isEqualTo(StepKind.RunScript);
      assertThat(deploy.targetRoles()).containsExactly("web");
      assertThat(deploy.parameters()).containsEntry("Port", "8080");
      assertThat(deploy.maxParallel()).isEqualTo(5);
      assertThat(deploy.sensitiveParameterNames()).containsExactly("Password", "Token");
      assertThat(openParameters(db, deploy.id()))
          .containsExactly(Map.entry("Password", "pa55"), Map.entry("Token", "t0ken"));

      // Deploy first and kept (same id): Password kept, Token replaced, "Stop" dropped.
      Map<String, String> sensitive = new HashMap<>();
      sensitive.put("Password", null);
      sensitive.put("Token", "new-t0ken");
      db.jdbi()
          .useTransaction(
              h ->
                  ProcessStore.replace(
                      h,
                      barrier,
                      project,
                      List.of(step(deploy.id(), "Deploy", sensitive), step(null, "Smoke", null))));
      List<DeploymentStep> after = process.steps(project);
      assertThat(after).extracting(DeploymentStep::name).containsExactly("Deploy", "Smoke");
      assertThat(after.get(0).id()).isEqualTo(deploy.id());
      assertThat(after.get(0).position()).isZero();
      assertThat(openParameters(db, deploy.id()))
          .containsExactly(Map.entry("Password", "pa55"), Map.entry("Token", "new-t0ken"));

      // Keeping a value that was never stored fails, and the transaction changes nothing.
      Map<String, String> unknown = new HashMap<>();
      unknown.put("Missing", null);
      assertThatThrownBy(
              () ->
                  db.jdbi()
                      .useTransaction(
                          h ->
                              ProcessStore.replace(
                                  h,
                                  barrier,
                                  project,
                                  List.of(step(deploy.id(), "Deploy", unknown)))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Missing")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa55"));
      assertThat(process.steps(project)).hasSize(2);
      assertThatThrownBy(
              () ->
                  db.jdbi()
                      .useTransaction(
                          h ->
                              ProcessStore.replace(
                                  h,
                                  barrier,
                                  project,
                                  List.of(step("DeploymentSteps-other", "X", null)))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(step(null, "S", Map.of("Password", "pa55")).toString()).doesNotContain("pa55");
    }
  }

  private Map<String, String> openParameters(Database db, String stepId) throws Exception {
    try (var h = db.jdbi().open()) {
      return ProcessStore.openSensitiveParameters(h, barrier, stepId);
    }
  }

  private static StepSpec step(String id, String name, Map<String, String> sensitive) {
    return new StepSpec(
        id,
        name,
        StepKind.RunScript,
        List.of("web"),
        "echo hello",
        Map.of("Port", "8080"),
        5,
        sensitive);
  }
}
