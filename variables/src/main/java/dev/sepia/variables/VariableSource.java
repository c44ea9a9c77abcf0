package dev.sepia.variables;

import java.util.List;
import java.util.Objects;

/**
 * The definitions one owner contributes, labelled for messages ("project Shop", "library set
 * Common"). Order matters: within a source, the first of two equally specific definitions wins.
 */
public record VariableSource(String label, List<VariableDefinition> definitions) {

  /** The list is copied. */
  public VariableSource {
    Objects.requireNonNull(label, "label");
    definitions = List.copyOf(definitions);
  }

  @Override
  public String toString() {
    return "VariableSource[label=" + label + ", definitions=" + definitions.size() + "]";
  }
}
