package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server whose master key does not open its database refuses to start, names the three ways out,
 * and writes nothing to the database on its way out.
 */
class StartupRefusalE2ETest {
  @TempDir Path tmp;
  SepiaServerCli machine;
  TestInstance stranger;

  @BeforeEach
  void setUp() {
    machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
  }

  @AfterEach
  void removeService() {
    if (stranger != null) {
      // In case a start unexpectedly succeeded: no server may outlive its test.
      stranger.killServiceIfRunning();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void run_withAKeyThatDoesNotOpenTheDatabase_exitsNamingTheWaysOut_andWritesNothing(
      Engine engine) {
    TestDatabase db = engine.newDatabase(tmp);
    TestInstance.withNewDatabase(machine, tmp, "Owner", db);
    stranger = TestInstance.withNewDatabase(machine, tmp, "Stranger", engine.newDatabase(tmp));
    stranger.listenOnFreePorts();
    stranger.run("database", "--connectionString", db.url()).succeeded();
    List<List<String>> nodesBefore = db.snapshot("server_nodes");
    List<List<String>> eventsBefore = db.snapshot("events");

    CliResult run = stranger.run("run").exited(CliResult.FAILED);
    CliResult start = stranger.run("service", "--start").exited(CliResult.FAILED);
    CliResult installAndStart =
        stranger.run("service", "--install", "--start").exited(CliResult.FAILED);

    for (CliResult refused : List.of(run, start, installAndStart)) {
      assertThat(refused.error())
          .as("refusal of %s", refused.command())
          .contains("does not open this database")
          .contains("sepia-server database --instance Stranger --masterKey <base64 key>")
          .contains("sepia-server set-master-key --instance Stranger --masterKey <base64 key>")
          .contains("sepia-server lost-master-key --instance Stranger");
    }
    assertThat(db.snapshot("server_nodes")).isEqualTo(nodesBefore);
    assertThat(db.snapshot("events")).isEqualTo(eventsBefore);
  }

  @Test
  void run_withNoMasterKeyAtAll_exitsNamingTheWaysOut_andWritesNothing() {
    TestDatabase db = Engine.H2.newDatabase(tmp);
    TestInstance.withNewDatabase(machine, tmp, "Owner", db);
    TestInstance keyless = TestInstance.create(machine, tmp, "Keyless");
    CliResult saved = keyless.run("database", "--connectionString", db.url()).succeeded();
    assertThat(saved.stdout()).contains("WARNING").contains("no master key");
    List<List<String>> nodesBefore = db.snapshot("server_nodes");
    List<List<String>> eventsBefore = db.snapshot("events");

    CliResult refused = keyless.run("run").exited(CliResult.FAILED);

    assertThat(refused.error())
        .contains("has no master key")
        .contains("database --instance Keyless --masterKey")
        .contains("set-master-key --instance Keyless --masterKey")
        .contains("lost-master-key --instance Keyless");
    assertThat(db.snapshot("server_nodes")).isEqualTo(nodesBefore);
    assertThat(db.snapshot("events")).isEqualTo(eventsBefore);
  }
}
