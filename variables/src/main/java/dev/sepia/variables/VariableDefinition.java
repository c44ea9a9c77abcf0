package dev.sepia.variables;

import java.util.Objects;

/**
 * One value a project or library set gives a variable, for one scope. A sensitive definition's
 * value never appears in {@link #toString()}.
 */
public record VariableDefinition(String name, String value, boolean sensitive, Scope scope) {

  /** Checks the name (see {@link VariableNames}); a null scope is read as unscoped. */
  public VariableDefinition {
    VariableNames.requireValid(name);
    Objects.requireNonNull(value, () -> "variable '" + name + "' has no value (null)");
    scope = scope == null ? Scope.UNSCOPED : scope;
  }

  /** An unscoped plain definition. */
  public static VariableDefinition plain(String name, String value) {
    return new VariableDefinition(name, value, false, Scope.UNSCOPED);
  }

  /** An unscoped sensitive definition. */
  public static VariableDefinition sensitive(String name, String value) {
    return new VariableDefinition(name, value, true, Scope.UNSCOPED);
  }

  @Override
  public String toString() {
    return "VariableDefinition[name="
        + name
        + ", value="
        + (sensitive ? "<masked>" : value)
        + ", sensitive="
        + sensitive
        + ", scope="
        + scope
        + "]";
  }
}
