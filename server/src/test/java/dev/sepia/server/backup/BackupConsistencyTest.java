package dev.sepia.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.crypto.Keyring;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backup taken while the server writes is one snapshot: a project, its step and its variable
 * written in one transaction are all in the backup or none, however the writes fall between the
 * tables read.
 */
class BackupConsistencyTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void backupWhileWritesGoOn_holdsRowsWrittenTogetherAllOrNone(DatabaseKind kind) throws Exception {
    String url = TestDatabases.emptyDatabase(kind, temp);
    var env = java.util.Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    BackupFixture.must(
        env, "create-instance", "--instance", "C", "--config", temp.resolve("c.json").toString());
    BackupFixture.must(env, "database", "--connectionString", url, "--create");

    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger pairs = new AtomicInteger();
    Path file = temp.resolve("consistent.zip");
    try (Database db = Database.open(url, false)) {
      Thread writer =
          new Thread(
              () -> {
                while (writing.get()) {
                  db.jdbi().useTransaction(h -> insertPair(h, "bg-" + pairs.incrementAndGet()));
                }
              });
      writer.start();
      try {
        new BackupWriter(db, temp, "C", Keyring.of(BackupFixture.key(env, "C")))
            .listener(
                (table, rows) -> {
                  // Variables (no foreign key) are read before projects, projects before their
                  // steps: a set committed in between must not show up in part.
                  if (table.equals("variables") || table.equals("projects")) {
                    db.jdbi().useTransaction(h -> insertPair(h, "after-" + table));
                  }
                })
            .write(file, "test");
      } finally {
        writing.set(false);
        writer.join();
      }
    }
    assertThat(pairs.get()).isPositive();

    Set<String> projects = new HashSet<>();
    Set<String> stepParents = new HashSet<>();
    Set<String> variableOwners = new HashSet<>();
    try (BackupArchive archive = BackupArchive.open(file)) {
      archive.verifyChecksums();
      for (BackupManifest.TableEntry table : archive.manifest().tables()) {
        if (List.of("projects", "deployment_steps", "variables").contains(table.name())) {
          try (MappingIterator<ObjectNode> rows = archive.rows(table)) {
            while (rows.hasNext()) {
              ObjectNode row = rows.next();
              switch (table.name()) {
                case "projects" -> projects.add(row.get("id").asText());
                case "deployment_steps" -> stepParents.add(row.get("project_id").asText());
                default -> variableOwners.add(row.get("owner_id").asText());
              }
            }
          }
        }
      }
    }
    assertThat(projects).doesNotContain("Projects-after-variables", "Projects-after-projects");
    assertThat(projects).isEqualTo(stepParents).isEqualTo(variableOwners);
  }

  private static void insertPair(Handle h, String name) {
    Instant now = Instant.now();
    String project = "Projects-" + name;
    h.createUpdate(
            "INSERT INTO projects (id, name, lifecycle_id, library_set_ids, created_at,"
                + " updated_at) VALUES (:id, :id, 'Lifecycles-default', '[]', :now, :now)")
        .bind("id", project)
        .bind("now", now)
        .execute();
    h.createUpdate(
            "INSERT INTO deployment_steps (id, project_id, position, name, kind, target_roles,"
                + " script, parameters, max_parallel, created_at, updated_at) VALUES (:id,"
                + " :project, 0, 'Install', 'Script', '[]', 'echo', '{}', 1, :now, :now)")
        .bind("id", "DeploymentSteps-" + name)
        .bind("project", project)
        .bind("now", now)
        .execute();
    h.createUpdate(
            "INSERT INTO variables (id, owner_id, name, is_sensitive, plain_value,"
                + " scope_environments, scope_roles, scope_machines, position, created_at,"
                + " updated_at) VALUES (:id, :project, 'V', FALSE, 'v', '[]', '[]', '[]', 0, :now,"
                + " :now)")
        .bind("id", "Variables-" + name)
        .bind("project", project)
        .bind("now", now)
        .execute();
  }
}
