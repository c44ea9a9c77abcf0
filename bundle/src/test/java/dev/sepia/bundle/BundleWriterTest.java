package dev.sepia.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.Secret;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer refuses, how it names folders, and that descriptions never show secrets. */
class BundleWriterTest {

  @TempDir Path drop;

  private static BundleContent content(String project, String release, String environment) {
    return new BundleContent(
        project,
        release,
        environment,
        "Target",
        "Deployments-1",
        List.of(
            new BundleStep("Step", "echo hi", Map.of("Port", "80"), Map.of("Key", "k3y-value"))),
        Map.of("Name", "plain-value"),
        Map.of("Password", "pa55-value"));
  }

  @Test
  void toStrings_nameSensitiveEntriesButHideTheirValues() {
    BundleContent content = content("Shop", "1.0", "Prod");

    assertThat(content.toString())
        .contains("Password=<masked>", "Key=<masked>", "plain-value", "Port=80")
        .doesNotContain("pa55-value")
        .doesNotContain("k3y-value");
    assertThat(content.steps().get(0).toString()).doesNotContain("k3y-value");
  }

  @Test
  void missingDropFolder_isRefusedWithAFix() {
    Path missing = drop.resolve("not-mounted");

    assertThatThrownBy(
            () -> BundleWriter.write(missing, content("Shop", "1", "P"), Secret.of("pw")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("not-mounted")
        .hasMessageContaining("create it, or correct the target's drop folder path");
    assertThat(missing).doesNotExist();
  }

  @Test
  void emptyPassword_isRefusedAndNothingIsWritten() throws Exception {
    assertThatThrownBy(() -> BundleWriter.write(drop, content("Shop", "1", "P"), Secret.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bundle password is empty");
    try (Stream<Path> list = Files.list(drop)) {
      assertThat(list).isEmpty();
    }
  }

  @Test
  void folderNames_areSafeOnAnyFileSystem() {
    assertThat(BundleWriter.folderName(content("My Shop", "1.0.0-beta+5", "Prod / EU")))
        .isEqualTo("My_Shop-1.0.0-beta_5-Prod_EU");
    assertThat(BundleWriter.folderName(content("../../etc", "1", "x"))).isEqualTo("etc-1-x");
    assertThat(BundleWriter.folderName(content("Ωмега", "", ""))).isEqualTo("bundle");
    assertThat(BundleWriter.folderName(content("a".repeat(300), "1", "P"))).hasSize(100);
  }

  @Test
  void sameParameterPlainAndSensitive_isRefused() {
    assertThatThrownBy(() -> new BundleStep("S", "", Map.of("Key", "a"), Map.of("Key", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Key' both as plain and as sensitive");
  }
}
