package dev.sepia.platform.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaServiceCommandTest {
  @Test
  void relativeClassPathEntries_becomeAbsolute_soTheServiceFindsThemFromItsHomeFolder() {
    String relative = "server/target/classes" + File.pathSeparator + "lib/a.jar";
    String absolute = JavaServiceCommand.absoluteClassPath(relative);
    for (String entry : absolute.split(File.pathSeparator)) {
      assertThat(Path.of(entry)).isAbsolute();
    }
    assertThat(absolute).endsWith("lib/a.jar");
  }

  @Test
  void command_carriesTheServiceMarker_mainClassAndArguments() {
    List<String> command =
        JavaServiceCommand.sameProgram(
            "sepia-server-Default", String.class, "run", "--instance", "Default");
    assertThat(command).contains("-Dsepia.service=sepia-server-Default", "-cp");
    assertThat(command.subList(command.size() - 4, command.size()))
        .containsExactly("java.lang.String", "run", "--instance", "Default");
  }
}
