package dev.sepia.server.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sepia.crypto.Certificates;
import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskState;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Connectivity;
import dev.sepia.server.model.machines.HealthStatus;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.machines.MachineStore.MachineSpec;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Targets and the task queue behave the same on both engines. */
class MachineAndTaskStoreTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void targets_roundTrip_pageByName_andRecordHealth(DatabaseKind kind) {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      MachineStore store = new MachineStore(db.jdbi());
      String thumbprint = Certificates.generateSelfSigned("t").thumbprint();
      String id =
          db.jdbi()
              .inTransaction(
                  h ->
                      MachineStore.insert(
                          h,
                          new MachineSpec(
                              "web01",
                              thumbprint,
                              CommunicationStyle.TentaclePassive,
                              "https://web01:10933/",
                              List.of("Production"),
                              List.of("web", "api"))));
      db.jdbi()
          .useTransaction(
              h ->
                  MachineStore.insert(
                      h,
                      new MachineSpec(
                          "db01",
                          "A".repeat(64),
                          CommunicationStyle.TentacleActive,
                          null,
                          List.of(),
                          List.of("db"))));

      Machine web = store.find(id).orElseThrow();
      assertThat(web.roles()).containsExactly("web", "api");
      assertThat(web.healthStatus()).isEqualTo(HealthStatus.Unknown);
      assertThat(store.list("WEB", 0, 10).items())
          .extracting(Machine::name)
          .containsExactly("web01");
      assertThat(store.list(null, 1, 1).items()).extracting(Machine::name).containsExactly("web01");
      assertThat(store.list(null, 0, 10).totalResults()).isEqualTo(2);
      assertThat(store.pollingThumbprints()).containsExactly("A".repeat(64));

      store.recordHealth(
          id, HealthStatus.Unavailable, Connectivity.RefusesServerCertificate, "refused", null);
      Machine checked = store.find(id).orElseThrow();
      assertThat(checked.connectivity()).isEqualTo(Connectivity.RefusesServerCertificate);
      assertThat(checked.healthCheckedAt()).isNotNull();
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void queuedTask_isClaimedByExactlyOneNode(DatabaseKind kind) {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      TaskStore tasks = new TaskStore(db.jdbi());
      ServerTask task =
          tasks.enqueue("Health", "Check", JsonNodeFactory.instance.objectNode(), "tests");
      assertThat(tasks.queuedIds(10)).containsExactly(task.id());

      assertThat(tasks.claim(task.id(), "node-a")).isTrue();
      assertThat(tasks.claim(task.id(), "node-b")).isFalse();
      assertThat(tasks.cancelQueued(task.id())).isFalse();
      assertThat(tasks.find(task.id()).orElseThrow().claimedBy()).isEqualTo("node-a");

      assertThat(tasks.failAbandoned("node-a")).isEqualTo(1);
      ServerTask failed = tasks.find(task.id()).orElseThrow();
      assertThat(failed.state()).isEqualTo(TaskState.Failed);
      assertThat(failed.errorMessage()).contains("stopped before it finished");
    }
  }
}
