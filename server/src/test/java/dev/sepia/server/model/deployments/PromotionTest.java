package dev.sepia.server.model.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lifecycle rule, table-driven. Lifecycle: Dev → Test → (Staging, Perf) → Production, with
 * Staging and Perf in one phase; Sandbox is in no phase.
 */
class PromotionTest {
  static final List<Promotion.Phase> PHASES =
      List.of(
          new Promotion.Phase("Development", List.of("dev")),
          new Promotion.Phase("Testing", List.of("test")),
          new Promotion.Phase("Pre-production", List.of("staging", "perf")),
          new Promotion.Phase("Live", List.of("prod")));
  static final Map<String, String> NAMES =
      Map.of(
          "dev", "Dev",
          "test", "Test",
          "staging", "Staging",
          "perf", "Perf",
          "prod", "Production",
          "sandbox", "Sandbox");

  /** target, environments where the release succeeded, null when allowed or the refusal's parts. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("dev", Set.of(), null),
        Arguments.of("dev", Set.of("dev", "test"), null), // redeploying an earlier phase
        Arguments.of("test", Set.of(), new String[] {"'Test'", "to Dev", "phase 'Development'"}),
        Arguments.of("test", Set.of("dev"), null),
        Arguments.of("test", Set.of("test"), new String[] {"to Dev"}),
        Arguments.of("staging", Set.of("dev"), new String[] {"to Test", "phase 'Testing'"}),
        Arguments.of("staging", Set.of("dev", "test"), null),
        Arguments.of("perf", Set.of("dev", "test"), null), // both of a phase open at once
        Arguments.of(
            "prod",
            Set.of("dev", "test"),
            new String[] {"'Production'", "Staging, Perf", "phase 'Pre-production'"}),
        Arguments.of(
            "prod", Set.of("dev", "test", "staging"), new String[] {"to Perf", "Pre-production"}),
        Arguments.of("prod", Set.of("dev", "test", "staging", "perf"), null),
        Arguments.of("prod", Set.of("staging", "perf"), new String[] {"to Dev", "Development"}),
        Arguments.of(
            "sandbox",
            Set.of("dev", "test", "staging", "perf", "prod"),
            new String[] {"'Sandbox' is not in lifecycle 'Standard'"}),
        Arguments.of("unnamed-env", Set.of(), new String[] {"'unnamed-env' is not in lifecycle"}));
  }

  @ParameterizedTest(name = "{0} after {1}")
  @MethodSource("cases")
  void refusal(String target, Set<String> succeeded, String[] expectedParts) {
    String refusal = Promotion.refusal("1.4.0", "Standard", PHASES, succeeded, target, NAMES);
    if (expectedParts == null) {
      assertThat(refusal).isNull();
    } else {
      assertThat(refusal).isNotNull().contains(Arrays.asList(expectedParts));
      if (!refusal.contains("is not in lifecycle")) {
        assertThat(refusal).contains("Release 1.4.0", "lifecycle 'Standard'");
      }
    }
  }

  static Stream<Arguments> allowed() {
    return Stream.of(
        Arguments.of(Set.of(), List.of("dev")),
        Arguments.of(Set.of("dev"), List.of("dev", "test")),
        Arguments.of(Set.of("dev", "test"), List.of("dev", "test", "staging", "perf")),
        Arguments.of(Set.of("dev", "test", "staging"), List.of("dev", "test", "staging", "perf")),
        Arguments.of(
            Set.of("dev", "test", "staging", "perf"),
            List.of("dev", "test", "staging", "perf", "prod")),
        Arguments.of(Set.of("test", "staging", "perf", "prod"), List.of("dev")));
  }

  @ParameterizedTest(name = "after {0}: {1}")
  @MethodSource("allowed")
  void allowedEnvironments(Set<String> succeeded, List<String> expected) {
    assertThat(Promotion.allowedEnvironments(PHASES, succeeded))
        .containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "allowed list agrees with the refusal rule after {0}")
  @MethodSource("allowed")
  void allowedEnvironments_agreeWithRefusal(Set<String> succeeded, List<String> ignored) {
    List<String> allowed = Promotion.allowedEnvironments(PHASES, succeeded);
    for (String env : List.of("dev", "test", "staging", "perf", "prod")) {
      boolean refused =
          Promotion.refusal("1.0.0", "Standard", PHASES, succeeded, env, NAMES) != null;
      assertThat(allowed.contains(env)).as(env).isEqualTo(!refused);
    }
  }
}
