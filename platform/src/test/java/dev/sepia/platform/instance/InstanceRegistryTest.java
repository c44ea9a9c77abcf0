package dev.sepia.platform.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstanceRegistryTest {

  @TempDir Path temp;

  private Path machineDir() {
    return temp.resolve("machine");
  }

  private InstanceRegistry servers() {
    return new InstanceRegistry(machineDir(), "server");
  }

  @Test
  void newMachine_hasNoInstances() {
    assertThat(servers().list()).isEmpty();
    assertThat(servers().find("Default")).isEmpty();
  }

  @Test
  void addedInstance_isFoundInAnyCase_withItsOriginalSpelling() {
    servers().add("Production", Path.of("/etc/sepia/production.json"));

    assertThat(servers().find("PRODUCTION"))
        .contains(new InstanceRecord("Production", Path.of("/etc/sepia/production.json")));
  }

  @Test
  void registry_isAJsonArrayReadableByOperators() throws IOException {
    servers().add("Default", Path.of("/etc/sepia/default.json"));

    assertThat(Files.readString(machineDir().resolve("server-instances.json")))
        .isEqualTo(
            """
            [
              {
                "name": "Default",
                "configFile": "/etc/sepia/default.json"
              }
            ]
            """);
  }

  @Test
  void registry_isReadableOnlyByItsOwner() throws IOException {
    servers().add("Default", Path.of("/etc/sepia/default.json"));

    assertThat(mode(machineDir())).isEqualTo("rwx------");
    assertThat(mode(machineDir().resolve("server-instances.json"))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(machineDir())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file is left behind")
          .containsExactlyInAnyOrder("server-instances.json", "server-instances.json.lock");
    }
  }

  @Test
  void relativeConfigPath_isStoredAbsolute_soItWorksFromAnyFolder() {
    servers().add("Default", Path.of("conf/../default.json"));

    assertThat(servers().find("Default").orElseThrow().configFile())
        .isEqualTo(Path.of("default.json").toAbsolutePath());
  }

  @Test
  void sameNameInAnotherCase_isRefused_namingTheExistingConfig() {
    servers().add("Default", Path.of("/etc/sepia/default.json"));

    assertThatThrownBy(() -> servers().add("default", Path.of("/tmp/other.json")))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "An instance named 'Default' already exists (config: /etc/sepia/default.json). Choose"
                + " another --instance name, or run delete-instance --instance Default first.");
    assertThat(servers().list()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "my instance", "../etc", "prod/1", "ünïcode"})
  void invalidName_isRefused_statingTheRule(String name) {
    assertThatThrownBy(() -> servers().add(name, Path.of("/x.json")))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "'"
                + name
                + "' is not a valid instance name. Use 1 to 64 characters: letters, digits, '-',"
                + " '_' or '.'.");
    assertThat(servers().list()).isEmpty();
  }

  @Test
  void nameOf64Characters_isAccepted_butNot65() {
    servers().add("a".repeat(64), Path.of("/x.json"));

    assertThatThrownBy(() -> servers().add("b".repeat(65), Path.of("/y.json")))
        .isInstanceOf(OperatorException.class);
  }

  @Test
  void removingAnUnknownInstance_listsTheKnownOnes() {
    servers().add("Alpha", Path.of("/a.json"));
    servers().add("Beta", Path.of("/b.json"));

    assertThatThrownBy(() -> servers().remove("Gamma"))
        .isInstanceOf(OperatorException.class)
        .hasMessage("There is no instance named 'Gamma'. Known instances: Alpha, Beta.");
  }

  @Test
  void remove_keepsTheOtherInstances() {
    servers().add("Alpha", Path.of("/a.json"));
    servers().add("Beta", Path.of("/b.json"));

    servers().remove("ALPHA");

    assertThat(servers().list()).containsExactly(new InstanceRecord("Beta", Path.of("/b.json")));
  }

  @Test
  void noInstanceYet_saysHowToCreateOne() {
    assertThatThrownBy(() -> servers().resolve(null))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "No Sepia server instance exists on this machine yet. Create one with: create-instance"
                + " --instance Default --config FILE");
  }

  @Test
  void singleInstance_isUsedWithoutNamingIt_whateverItsName() {
    servers().add("Staging", Path.of("/s.json"));

    assertThat(servers().resolve(null).name()).isEqualTo("Staging");
  }

  @Test
  void severalInstances_withoutName_useTheOneNamedDefault() {
    servers().add("Staging", Path.of("/s.json"));
    servers().add("default", Path.of("/d.json"));

    assertThat(servers().resolve(null).name()).isEqualTo("default");
  }

  @Test
  void registry_withTwoInstancesAndNoDefault_asksForInstanceName() {
    servers().add("Alpha", Path.of("/a.json"));
    servers().add("Beta", Path.of("/b.json"));

    assertThatThrownBy(() -> servers().resolve(null))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "There are 2 Sepia server instances on this machine (Alpha, Beta) and none is named"
                + " Default. Pass --instance NAME to choose one.");
  }

  @Test
  void unknownInstanceName_listsKnownOnesAndHowToCreateIt() {
    servers().add("Alpha", Path.of("/a.json"));
    servers().add("Beta", Path.of("/b.json"));

    assertThatThrownBy(() -> servers().resolve("Gamma"))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "There is no instance named 'Gamma'. Known instances: Alpha, Beta. Create it with"
                + " create-instance --instance Gamma --config FILE.");
  }

  @Test
  void unknownInstanceName_onAnEmptyMachine_saysThereAreNone() {
    assertThatThrownBy(() -> servers().resolve("Gamma"))
        .hasMessage(
            "There is no instance named 'Gamma'. Known instances: (none). Create it with"
                + " create-instance --instance Gamma --config FILE.");
  }

  @Test
  void serverAndTentacleInstances_areListedSeparately() {
    servers().add("Default", Path.of("/server.json"));
    InstanceRegistry tentacles = new InstanceRegistry(machineDir(), "tentacle");

    assertThat(tentacles.list()).isEmpty();
    assertThatThrownBy(() -> tentacles.resolve(null))
        .hasMessageStartingWith("No Sepia tentacle instance exists on this machine yet.");
  }

  @Test
  void instancesAddedAtTheSameTime_areAllKept() throws Exception {
    int count = 24;
    List<Future<?>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < count; i++) {
        String name = "i" + i;
        results.add(pool.submit(() -> servers().add(name, Path.of("/" + name + ".json"))));
      }
      for (Future<?> result : results) {
        result.get();
      }
    }

    assertThat(servers().list()).hasSize(count);
  }

  @Test
  void damagedRegistry_isNamedWithTheLineAndTheWayOut() throws IOException {
    Files.createDirectories(machineDir());
    Files.writeString(
        machineDir().resolve("server-instances.json"), "[\n  {\"name\": \"Default\",\n  oops\n]");

    assertThatThrownBy(() -> servers().list())
        .isInstanceOf(OperatorException.class)
        .message()
        .startsWith(
            "The instance registry "
                + machineDir().resolve("server-instances.json")
                + " is not valid JSON (line 3): ")
        .endsWith(
            ". Restore it from a backup, or fix it by hand: it is a JSON array of {\"name\": ...,"
                + " \"configFile\": ...}.");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
