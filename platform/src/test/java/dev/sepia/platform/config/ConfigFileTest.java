package dev.sepia.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

  @TempDir Path temp;

  @Test
  void savedConfig_isSortedPrettyJsonAnOperatorCanRead() throws IOException {
    Path file = temp.resolve("server.json");

    ConfigFile.createNew(file)
        .set("Sepia.Web.ListenPort", "8050")
        .set("Sepia.Home", "/var/lib/sepia")
        .save();

    assertThat(Files.readString(file))
        .isEqualTo(
            """
            {
              "Sepia.Home": "/var/lib/sepia",
              "Sepia.Web.ListenPort": "8050"
            }
            """);
  }

  @Test
  void savedConfig_isOwnerOnly_inFoldersCreatedForIt() throws IOException {
    Path file = temp.resolve("etc/sepia/instances/server.json");

    ConfigFile.createNew(file).set("Sepia.MasterKey", "wrapped").save();

    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(mode(file.getParent())).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).as("no temporary file is left behind").containsExactly(file);
    }
  }

  @Test
  void valuesSurviveARoundTrip_includingQuotesAndNonAscii() {
    Path file = temp.resolve("server.json");
    ConfigFile.createNew(file)
        .set("Sepia.Note", "line \"one\"\nline two")
        .set("Sepia.Owner", "Zoë Ünal")
        .save();

    ConfigFile loaded = ConfigFile.load(file);

    assertThat(loaded.get("Sepia.Note")).contains("line \"one\"\nline two");
    assertThat(loaded.get("Sepia.Owner")).contains("Zoë Ünal");
    assertThat(loaded.get("Sepia.Absent")).isEmpty();
    assertThat(loaded.getOrDefault("Sepia.Absent", "fallback")).isEqualTo("fallback");
  }

  @Test
  void changes_areWrittenOnlyOnSave() {
    Path file = temp.resolve("server.json");
    ConfigFile.createNew(file).set("A", "1").set("B", "2").save();
    ConfigFile config = ConfigFile.load(file);

    config.set("A", "changed").remove("B");

    assertThat(ConfigFile.load(file).entries())
        .containsExactly(Map.entry("A", "1"), Map.entry("B", "2"));
    config.save();
    assertThat(ConfigFile.load(file).entries()).containsExactly(Map.entry("A", "changed"));
  }

  @Test
  void newConfig_isNotWrittenUntilSaved() {
    Path file = temp.resolve("server.json");

    ConfigFile config = ConfigFile.createNew(file).set("A", "1");

    assertThat(file).doesNotExist();
    assertThat(config.file()).isEqualTo(file);
  }

  @Test
  void entries_areSortedAndReadOnly() {
    ConfigFile config = ConfigFile.createNew(temp.resolve("c.json")).set("b", "2").set("a", "1");

    assertThat(config.entries().keySet()).containsExactly("a", "b");
    assertThatThrownBy(() -> config.entries().put("c", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void creatingOverAnExistingFile_isRefused() throws IOException {
    Path file = Files.writeString(temp.resolve("server.json"), "{}");

    assertThatThrownBy(() -> ConfigFile.createNew(file))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "The config file "
                + file
                + " already exists. Choose another --config path, or use the existing file.");
  }

  @Test
  void missingConfig_isNamedWithTheWayOut() {
    Path file = temp.resolve("gone.json");

    assertThatThrownBy(() -> ConfigFile.load(file))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "The config file "
                + file
                + " does not exist. Check the --config path or the instance registry, or create"
                + " the instance with create-instance.");
  }

  @Test
  void brokenJson_isReportedWithItsLine() throws IOException {
    Path file =
        Files.writeString(temp.resolve("server.json"), "{\n  \"A\": \"1\",\n  \"B\" \"2\"\n}");

    assertThatThrownBy(() -> ConfigFile.load(file))
        .isInstanceOf(OperatorException.class)
        .message()
        .startsWith("The config file " + file + " is not valid JSON (line 3): ")
        .endsWith(". Restore it from a backup or re-create the instance.");
  }

  @Test
  void sameKeyTwice_isRefusedRatherThanGuessed() throws IOException {
    Path file = Files.writeString(temp.resolve("server.json"), "{\"A\": \"1\",\n\"A\": \"2\"}");

    assertThatThrownBy(() -> ConfigFile.load(file))
        .isInstanceOf(OperatorException.class)
        .hasMessageStartingWith("The config file " + file + " is not valid JSON (line 2): ")
        .hasMessageContaining("Duplicate field 'A'");
  }

  @Test
  void emptyOrNonObjectFile_isExplained() throws IOException {
    Path empty = Files.writeString(temp.resolve("empty.json"), "");
    Path array = Files.writeString(temp.resolve("array.json"), "[]");

    assertThatThrownBy(() -> ConfigFile.load(empty))
        .hasMessage(
            "The config file "
                + empty
                + " is empty. Restore it from a backup or re-create the instance.");
    assertThatThrownBy(() -> ConfigFile.load(array))
        .hasMessage(
            "The config file "
                + array
                + " does not hold a JSON object of settings (found array). Restore it from a"
                + " backup or re-create the instance.");
  }

  @Test
  void handWrittenNumbers_areReadAsText_butNestedValuesAreRefused() throws IOException {
    Path numbers = Files.writeString(temp.resolve("n.json"), "{\"Port\": 8050, \"On\": true}");
    Path nested = Files.writeString(temp.resolve("x.json"), "{\"Web\": {\"Port\": \"8050\"}}");

    assertThat(ConfigFile.load(numbers).entries())
        .containsExactly(Map.entry("On", "true"), Map.entry("Port", "8050"));
    assertThatThrownBy(() -> ConfigFile.load(nested))
        .hasMessage(
            "The config file "
                + nested
                + " has a setting that is not a text value: 'Web'. Every setting is a string; fix"
                + " or remove that line.");
  }

  @Test
  void toString_namesTheFileButNeverAValue() {
    ConfigFile config =
        ConfigFile.createNew(temp.resolve("server.json")).set("Sepia.MasterKey", "s3cr3t-value");

    assertThat(config.toString())
        .isEqualTo("ConfigFile[" + temp.resolve("server.json") + ", 1 settings]")
        .doesNotContain("s3cr3t-value");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
