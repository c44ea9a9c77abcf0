package dev.sepia.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Building dictionaries, adding step parameters, and what they show of themselves. */
class VariableDictionaryTest {

  private final VariableDictionary variables =
      VariableDictionary.of(Map.of("Name", "Shop", "Url", "http://#{Name}"), Map.of("Pw", "p4ss"));

  @Test
  void stepParametersCanBeAddedAndOverrideExistingNames() throws Exception {
    VariableDictionary step =
        variables.with(
            Map.of("Parameters.Port", "8080", "name", "Other"), Map.of("Parameters.Key", "k3y"));
    assertThat(step.evaluate("#{Parameters.Port} #{Name} #{Url}").text())
        .isEqualTo("8080 Other http://Other");
    assertThat(step.isSensitive("parameters.key")).isTrue();
    assertThat(step.names()).contains("name").doesNotContain("Name");
    assertThat(variables.raw("Name")).as("the original is unchanged").contains("Shop");
  }

  @Test
  void aSensitiveOverrideMakesAPlainNameSensitive() {
    VariableDictionary step = variables.with(Map.of(), Map.of("NAME", "hidden"));
    assertThat(step.isSensitive("Name")).isTrue();
    assertThat(step.rawPlain()).doesNotContainKey("Name");
  }

  @Test
  void aNameGivenTwiceIsRefused() {
    assertThatThrownBy(() -> VariableDictionary.of(Map.of("Pw", "a"), Map.of("PW", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is given twice")
        .hasMessageNotContainingAny("'a'", "'b'");
    assertThatThrownBy(() -> VariableDictionary.of(Map.of("x", "1", "X", "2"), Map.of()))
        .hasMessageContaining("names are case-insensitive");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "semi;colon", "brace}", "pipe|"})
  void invalidNamesAreRefused(String name) {
    assertThatThrownBy(() -> VariableDictionary.of(Map.of(name, "v"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a valid variable name");
    assertThatThrownBy(() -> VariableDefinition.plain(name, "v"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rawValuesAreSplitForWritingABundle() {
    assertThat(variables.rawPlain())
        .containsOnly(Map.entry("Name", "Shop"), Map.entry("Url", "http://#{Name}"));
    assertThat(variables.rawSensitive()).containsOnly(Map.entry("Pw", "p4ss"));
    assertThat(variables.sensitiveValues()).containsExactly("p4ss");
    assertThat(VariableDictionary.of(variables.rawPlain(), variables.rawSensitive()).names())
        .isEqualTo(variables.names());
  }

  @Test
  void lookupsIgnoreCase() {
    assertThat(variables.contains("pw")).isTrue();
    assertThat(variables.isSensitive("PW")).isTrue();
    assertThat(variables.raw("URL")).contains("http://#{Name}");
    assertThat(variables.contains("Nope")).isFalse();
    assertThat(variables.raw("Nope")).isEmpty();
    assertThat(variables.names()).containsExactly("Name", "Pw", "Url");
  }
}
