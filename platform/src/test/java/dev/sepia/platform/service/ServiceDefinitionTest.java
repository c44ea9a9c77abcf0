package dev.sepia.platform.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceDefinitionTest {

  private static final Path DIR = Path.of("/srv/sepia");

  @Test
  void definition_keepsItsOwnCopyOfCommandAndEnvironment() {
    List<String> command = new ArrayList<>(List.of("/usr/bin/java", "-Dsepia.service=s"));
    Map<String, String> env = new HashMap<>(Map.of("B", "2", "A", "1"));
    ServiceDefinition d = new ServiceDefinition("s", "S", command, DIR, DIR, env);

    command.add("--extra");
    env.put("C", "3");

    assertThat(d.command()).containsExactly("/usr/bin/java", "-Dsepia.service=s");
    assertThat(d.environment()).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"));
  }

  @Test
  void serviceNameThatCannotBeAUnitName_isRefused() {
    assertThatThrownBy(
            () -> new ServiceDefinition("sepia server", "S", List.of("x"), DIR, DIR, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sepia server");
  }

  @Test
  void emptyCommandOrBadVariableName_isRefused() {
    assertThatThrownBy(() -> new ServiceDefinition("s", "S", List.of(), DIR, DIR, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new ServiceDefinition("s", "S", List.of("x"), DIR, DIR, Map.of("A=B", "c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A=B");
  }
}
