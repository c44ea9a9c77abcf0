package dev.sepia.variables;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The result of evaluating a template or a variable.
 *
 * @param text the result
 * @param sensitive whether the text depends on a sensitive value
 * @param derivedSecrets every string produced from a sensitive input while evaluating (the
 *     sensitive values used, filter outputs such as the Base64 of a secret, values that embed a
 *     secret); add them to a {@link LogMasker} before the text reaches a log
 */
public record Evaluated(String text, boolean sensitive, Set<String> derivedSecrets) {

  /** The set is copied, keeping its order. */
  public Evaluated {
    derivedSecrets = Collections.unmodifiableSet(new LinkedHashSet<>(derivedSecrets));
  }

  @Override
  public String toString() {
    return "Evaluated[text="
        + (sensitive ? "<masked>" : text)
        + ", sensitive="
        + sensitive
        + ", derivedSecrets="
        + derivedSecrets.size()
        + " (masked)]";
  }
}
