package dev.sepia.tentacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.tentacle.config.TentacleEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** An operator-facing command is done when the docs describe it: every command and flag. */
class CommandReferenceDocTest {
  @Test
  void everyCommandAndOption_isInTheCommandReference() throws IOException {
    String doc = Files.readString(Path.of("../docs/sepia-tentacle.md"));
    CommandLine cli =
        new CommandLine(
            new TentacleMain(new TentacleEnvironment(Map.of("SEPIA_MACHINE_DIR", "/tmp"))));
    for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
      if (sub.getKey().equals("help")) {
        continue;
      }
      assertThat(doc).as("section for " + sub.getKey()).contains("## " + sub.getKey() + "\n");
      for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
        assertThat(doc)
            .as("option " + option.longestName() + " of " + sub.getKey())
            .contains(option.longestName());
      }
    }
  }
}
