package dev.sepia.server.model.releases;

import java.util.List;
import java.util.Map;

/**
 * A project's deployment process and variables as they were when a release was created. Sensitive
 * values are not in here: they are referenced by the id of their sealed row in {@code
 * release_sensitive_values}.
 */
public record ReleaseSnapshot(
    String projectName, List<Step> steps, List<VariableSource> variableSources) {

  /** One step of the process. {@code sensitiveParameters} maps a parameter's name to its ref. */
  public record Step(
      String id,
      String name,
      String kind,
      List<String> targetRoles,
      String script,
      Map<String, String> parameters,
      Map<String, String> sensitiveParameters,
      int maxParallel) {}

  /** The project's variables, or one included library variable set's, in precedence order. */
  public record VariableSource(String label, List<Variable> variables) {}

  /**
   * A variable; a sensitive one has {@code sensitiveRef} instead of a value.
   *
   * @param environments environment ids the variable is scoped to (empty: any)
   * @param machines target ids the variable is scoped to (empty: any)
   */
  public record Variable(
      String name,
      String value,
      String sensitiveRef,
      List<String> environments,
      List<String> roles,
      List<String> machines) {

    public boolean sensitive() {
      return sensitiveRef != null;
    }
  }
}
