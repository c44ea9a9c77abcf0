package dev.sepia.variables;

import static dev.sepia.variables.VariableDefinition.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which definition applies to a target: scoping, specificity, source order, built-ins. */
class VariableResolverTest {

  private static VariableDefinition scoped(
      String name,
      String value,
      Set<String> environments,
      Set<String> roles,
      Set<String> machines) {
    return new VariableDefinition(name, value, false, new Scope(environments, roles, machines));
  }

  private static final VariableSource PROJECT =
      new VariableSource(
          "project Shop",
          List.of(
              plain("Port", "80"),
              scoped("Port", "443", Set.of("Production"), Set.of(), Set.of()),
              scoped("Port", "8080", Set.of(), Set.of("web"), Set.of()),
              scoped("Port", "8443", Set.of("Production"), Set.of("web"), Set.of()),
              scoped("Port", "9000", Set.of(), Set.of(), Set.of("m1")),
              plain("LogLevel", "info"),
              plain("Region", "eu"),
              plain("Dup", "first"),
              plain("Dup", "second"),
              scoped("Dup", "prod-first", Set.of("Production"), Set.of(), Set.of()),
              scoped("Dup", "prod-second", Set.of("Production"), Set.of(), Set.of()),
              scoped("Key", "m", Set.of(), Set.of(), Set.of("m1")),
              scoped("Key", "m-prod", Set.of("Production"), Set.of(), Set.of("m1")),
              scoped("Key", "web-prod", Set.of("Production"), Set.of("web"), Set.of()),
              scoped("Multi", "either", Set.of("Production", "Staging"), Set.of(), Set.of())));

  private static final VariableSource COMMON =
      new VariableSource(
          "library set Common",
          List.of(
              scoped("Port", "5432", Set.of(), Set.of("db"), Set.of()),
              plain("Timeout", "30"),
              scoped("LogLevel", "warn", Set.of("Production"), Set.of(), Set.of()),
              plain("region", "us")));

  private static final VariableSource EXTRA =
      new VariableSource(
          "library set Extra",
          List.of(
              plain("Region", "ap"),
              plain("Timeout", "60"),
              scoped("StagingOnly", "x", Set.of("Staging"), Set.of(), Set.of()),
              scoped("Timeout", "90", Set.of("Staging"), Set.of(), Set.of())));

  private static final List<VariableSource> SOURCES = List.of(PROJECT, COMMON, EXTRA);

  @ParameterizedTest(name = "{0} / {1} / [{2}]: {3} = {4} ({5})")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // environment, machine, roles (;), name, expected (- = undefined), why
        "Production | -  | -      | Port        | 443         | environment beats unscoped",
        "Staging    | -  | -      | Port        | 80          | only the unscoped one matches",
        "Staging    | m2 | web    | Port        | 8080        | role beats unscoped",
        "Production | m2 | web    | Port        | 8443        | role+environment beats role alone",
        "Production | m1 | web    | Port        | 9000        | machine beats role+environment",
        "Staging    | m1 | -      | Port        | 9000        | machine beats unscoped",
        "Staging    | m2 | db     | Port        | 5432        | library set role beats project unscoped",
        "Production | m2 | db     | Port        | 5432        | library set role beats project env",
        "Staging    | m2 | web;db | Port        | 8080        | equal specificity: project first",
        "Staging    | m2 | WEB    | Port        | 8080        | role names ignore case",
        "production | -  | -      | Port        | 80          | environment ids are exact",
        "-          | -  | -      | Port        | 80          | no environment: only unscoped",
        "Production | -  | -      | LogLevel    | warn        | library set env beats project unscoped",
        "Staging    | -  | -      | LogLevel    | info        | project unscoped when env differs",
        "Staging    | -  | -      | Region      | eu          | tie: project before library sets",
        "Staging    | -  | -      | Timeout     | 90          | later library set, more specific",
        "Production | -  | -      | Timeout     | 30          | tie: earlier library set",
        "Production | -  | -      | StagingOnly | -           | no definition matches: undefined",
        "Staging    | -  | -      | StagingOnly | x           | matches its environment",
        "Staging    | -  | -      | Dup         | first       | tie within a source: first",
        "Production | -  | -      | Dup         | prod-first  | tie within a source: first",
        "Staging    | m1 | -      | Key         | m           | machine alone",
        "Production | m1 | web    | Key         | m-prod      | machine+env beats machine, role+env",
        "Production | m2 | web    | Key         | web-prod    | role+environment",
        "Production | -  | -      | Key         | -           | server side: no machine, no role",
        "Staging    | -  | -      | Multi       | either      | any listed environment matches",
        "Test       | -  | -      | Multi       | -           | unlisted environment",
      })
  void theMostSpecificMatchingDefinitionWins(
      String environment, String machine, String roles, String name, String expected, String why) {
    TargetContext target =
        new TargetContext(
            environment, machine, roles == null ? Set.of() : Set.of(roles.split(";")));
    VariableDictionary variables = VariableResolver.resolve(SOURCES, target, Map.of());
    if (expected == null) {
      assertThat(variables.contains(name)).as(why).isFalse();
    } else {
      assertThat(variables.raw(name)).as(why).contains(expected);
    }
  }

  @Test
  void builtInsOverrideEveryDefinitionAndAreNeverSensitive() {
    VariableSource project =
        new VariableSource(
            "project Shop",
            List.of(
                new VariableDefinition(
                    "Sepia.Environment.Name", "spoofed", true, Scope.ofMachines("m1"))));
    VariableDictionary variables =
        VariableResolver.resolve(
            List.of(project),
            new TargetContext("Environments-1", "m1", Set.of()),
            Map.of("Sepia.Environment.Name", "Production"));
    assertThat(variables.raw("sepia.environment.name")).contains("Production");
    assertThat(variables.isSensitive("Sepia.Environment.Name")).isFalse();
    assertThat(variables.sensitiveValues()).isEmpty();
  }

  @Test
  void namesAreCaseInsensitiveAcrossSourcesAndKeepTheWinnersSpelling() {
    VariableDictionary variables =
        VariableResolver.resolve(SOURCES, TargetContext.environment("Staging"), Map.of());
    assertThat(variables.names()).contains("Region").doesNotContain("region");
    assertThat(variables.raw("REGION")).contains("eu");
  }

  @Test
  void sensitivityFollowsTheWinningDefinition() {
    VariableSource project =
        new VariableSource(
            "project Shop",
            List.of(
                plain("Password", "not-secret-default"),
                new VariableDefinition("Password", "s3cret", true, Scope.ofEnvironments("Prod"))));
    VariableDictionary prod =
        VariableResolver.resolve(List.of(project), TargetContext.environment("Prod"), Map.of());
    VariableDictionary test =
        VariableResolver.resolve(List.of(project), TargetContext.environment("Test"), Map.of());
    assertThat(prod.isSensitive("Password")).isTrue();
    assertThat(prod.rawSensitive()).containsExactly(Map.entry("Password", "s3cret"));
    assertThat(test.isSensitive("Password")).isFalse();
    assertThat(test.rawPlain()).containsEntry("Password", "not-secret-default");
  }
}
