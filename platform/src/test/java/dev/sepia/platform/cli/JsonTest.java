package dev.sepia.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.platform.instance.InstanceRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  private final ObjectMapper json = Json.mapper();

  record Machine(String machineName, List<String> roles) {}

  static final class Empty {}

  @Test
  void output_isPrettyCamelCaseWithSortedMapKeys() throws JsonProcessingException {
    String text =
        json.writeValueAsString(
            Map.of("web-01", new Machine("web-01", List.of("web", "api")), "db-01", Map.of()));

    assertThat(text)
        .isEqualTo(
            """
            {
              "db-01": { },
              "web-01": {
                "machineName": "web-01",
                "roles": [
                  "web",
                  "api"
                ]
              }
            }""");
  }

  @Test
  void paths_arePlainStrings_bothWays() throws JsonProcessingException {
    String text =
        json.writeValueAsString(new InstanceRecord("Default", Path.of("/etc/sepia/d.json")));

    assertThat(text)
        .isEqualTo(
            """
            {
              "name": "Default",
              "configFile": "/etc/sepia/d.json"
            }""");
    assertThat(json.readValue(text, InstanceRecord.class))
        .isEqualTo(new InstanceRecord("Default", Path.of("/etc/sepia/d.json")));
  }

  @Test
  void emptyObjects_canBePrinted() throws JsonProcessingException {
    assertThat(json.writeValueAsString(new Empty())).isEqualTo("{ }");
  }

  @Test
  void duplicateKeysAndTrailingGarbage_areRefused() {
    assertThatThrownBy(() -> json.readTree("{\"a\": 1, \"a\": 2}"))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> json.readValue("{\"a\": 1} x", Map.class))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void eachCallGivesAnIndependentMapper() {
    assertThat(Json.mapper()).isNotSameAs(Json.mapper());
  }
}
