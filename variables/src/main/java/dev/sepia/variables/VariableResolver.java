package dev.sepia.variables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses, for each variable name, the one definition that applies to a target. The rules, in
 * docs/variables.md:
 *
 * <ol>
 *   <li>A definition applies when each non-empty scope dimension contains the target's value.
 *   <li>Among those that apply, the most specific scope wins ({@link Scope#specificity()}).
 *   <li>Ties go to the earlier source, then to the earlier definition within a source.
 *   <li>Built-ins replace everything.
 * </ol>
 */
public final class VariableResolver {

  private VariableResolver() {}

  /**
   * Resolves variables for one target.
   *
   * @param sources in precedence order: the project first, then its library sets in inclusion order
   * @param target the environment, machine and roles to resolve for
   * @param builtIns values the server provides (e.g. "Sepia.Environment.Name"); they win over every
   *     definition and are never sensitive
   */
  public static VariableDictionary resolve(
      List<VariableSource> sources, TargetContext target, Map<String, String> builtIns) {
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(target, "target");
    Map<String, VariableDefinition> winners = new LinkedHashMap<>();
    // Sources and definitions are visited in precedence order, so a later candidate replaces the
    // current winner only when it is strictly more specific.
    for (VariableSource source : sources) {
      for (VariableDefinition definition : source.definitions()) {
        if (!definition.scope().matches(target)) {
          continue;
        }
        winners.merge(
            VariableNames.key(definition.name()),
            definition,
            (current, candidate) ->
                candidate.scope().specificity() > current.scope().specificity()
                    ? candidate
                    : current);
      }
    }
    return VariableDictionary.resolved(
        new ArrayList<>(winners.values()), builtIns == null ? Map.of() : builtIns);
  }
}
