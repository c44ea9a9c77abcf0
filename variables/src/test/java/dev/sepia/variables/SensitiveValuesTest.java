package dev.sepia.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Anything produced from a sensitive value is tracked, and never shown where it should not be. */
class SensitiveValuesTest {

  private static final String SECRET = "hunter2";

  private final VariableDictionary variables =
      VariableDictionary.of(
          Map.of(
              "Name", "Shop",
              "Conn", "Server=db;Password=#{DbPassword}",
              "Deep", "[#{Conn}]"),
          Map.of(
              "DbPassword", SECRET,
              "Keys", "alpha, beta",
              "Token", "tok-#{Name}"));

  /** What a task log would show: the script's output, masked with everything the run derived. */
  private String logged(Evaluated result) {
    LogMasker masker = new LogMasker(variables.sensitiveValues()).with(result.derivedSecrets());
    return masker.mask(result.text());
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "pw=#{DbPassword} => pw=********",
        "#{DbPassword | Base64} => ********",
        "b64 #{DbPassword | ToUpper | Base64}. => b64 ********.",
        "#{Conn} => ********",
        "conn: #{Deep} => conn: ********",
        "#{Token} => ********",
        "#{each k in Keys}key=#{k}; #{/each} => 'key=********; key=********; '",
        "#{each k in Keys}#{k | Base64}/#{/each} => ********/********/",
      })
  void everythingProducedFromASecretIsMasked(String template, String masked) throws Exception {
    Evaluated result = variables.evaluate(template);
    assertThat(result.sensitive()).isTrue();
    assertThat(logged(result)).isEqualTo(masked);
  }

  @Test
  void derivedSecretsListTheValueAndWhatWasMadeFromIt() throws Exception {
    String base64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    assertThat(variables.evaluate("#{DbPassword | Base64}").derivedSecrets())
        .contains(SECRET, base64);
    assertThat(variables.evaluate("#{Deep}").derivedSecrets())
        .contains(SECRET, "Server=db;Password=hunter2", "[Server=db;Password=hunter2]");
    assertThat(variables.get("Conn"))
        .satisfies(conn -> assertThat(conn.sensitive()).isTrue())
        .satisfies(conn -> assertThat(conn.derivedSecrets()).contains(SECRET));
    assertThat(variables.evaluate("#{Token}").derivedSecrets()).contains("tok-#{Name}", "tok-Shop");
  }

  @Test
  void plainResultsAreNotSensitive() throws Exception {
    Evaluated result = variables.evaluate("#{Name | ToUpper} ##{DbPassword}");
    assertThat(result.sensitive()).isFalse();
    assertThat(result.derivedSecrets()).isEmpty();
    assertThat(result.toString()).contains("SHOP #{DbPassword}");
  }

  @Test
  void aConditionOnASecretDoesNotMakeTheOutputSensitive() throws Exception {
    Evaluated result = variables.evaluate("#{if DbPassword}password set#{else}none#{/if}");
    assertThat(result.text()).isEqualTo("password set");
    assertThat(result.sensitive()).isFalse();
  }

  @Test
  void toStringNeverShowsASecret() throws Exception {
    List<String> shown = new ArrayList<>();
    shown.add(variables.toString());
    shown.add(variables.evaluate("#{Conn}").toString());
    shown.add(VariableDefinition.sensitive("DbPassword", SECRET).toString());
    shown.add(
        new VariableSource("project Shop", List.of(VariableDefinition.sensitive("P", SECRET)))
            .toString());
    shown.add(new LogMasker(Set.of(SECRET)).toString());
    assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(SECRET, "Password="));
    assertThat(variables.toString()).contains("DbPassword", "Name");
    assertThat(VariableDefinition.plain("Name", "Shop").toString()).contains("Shop");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "S3CR3T#{",
        "#{S3CR3T}",
        "x#{S3CR3T | ToUpper}y",
        "#{if S3CR3T}",
        "#{if S3CR3T}#{/each}",
        "#{Name | S3CR3T}",
        "#{each S3CR3T Name}#{/each}",
        "#{/S3CR3T}",
        "#{S3CR3T word}",
        "#{else S3CR3T}",
      })
  void errorsInASensitiveValueNeverQuoteIt(String value) {
    VariableDictionary broken = variables.with(Map.of(), Map.of("ApiKey", value));
    assertThatThrownBy(() -> broken.evaluate("key=#{ApiKey}"))
        .isInstanceOfSatisfying(
            SubstitutionException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("sensitive variable 'ApiKey'")
                  .doesNotContain("S3CR3T");
              assertThat(e.undefinedNames()).doesNotContain("S3CR3T");
            });
  }

  @Test
  void errorsInAPlainTemplateNeverShowAValue() {
    assertThatThrownBy(() -> variables.evaluate("#{Conn} #{Missing} #{DbPassword | Nope}"))
        .message()
        .doesNotContain(SECRET);
    assertThatThrownBy(() -> variables.evaluate("#{Conn} #{Missing}"))
        .message()
        .doesNotContain(SECRET)
        .contains("'Missing'");
  }

  @Test
  void aTargetsResolvedSecretsAreMaskedEndToEnd() throws Exception {
    VariableSource project =
        new VariableSource(
            "project Shop",
            List.of(
                new VariableDefinition("ApiKey", "k-test", true, Scope.ofEnvironments("Test")),
                new VariableDefinition("ApiKey", "k-prod-9f8e", true, Scope.ofEnvironments("Prod")),
                VariableDefinition.plain("Header", "Authorization: Bearer #{ApiKey}")));
    VariableDictionary prod =
        VariableResolver.resolve(List.of(project), TargetContext.environment("Prod"), Map.of());
    Evaluated script = prod.evaluate("curl -H '#{Header}' https://x\necho #{ApiKey | Base64}");
    LogMasker masker = new LogMasker(prod.sensitiveValues()).with(script.derivedSecrets());
    List<String> log = script.text().lines().map(masker::mask).toList();
    assertThat(log).containsExactly("curl -H '********' https://x", "echo ********");
  }
}
