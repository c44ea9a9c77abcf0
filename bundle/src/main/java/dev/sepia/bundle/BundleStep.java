package dev.sepia.bundle;

import java.util.Map;
import java.util.Objects;

/**
 * One step of an offline deployment: a bash script template with {@code #{…}} references, and the
 * step's parameters, which the script reaches as {@code #{Parameters.<Name>}}. Sensitive parameters
 * are sealed in the bundle; {@code toString()} shows only their names.
 */
public record BundleStep(
    String name,
    String script,
    Map<String, String> parameters,
    Map<String, String> sensitiveParameters) {

  public BundleStep {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("A bundle step needs a name");
    }
    Objects.requireNonNull(script, "script");
    parameters = Maps.copy(parameters, "Parameter of step '" + name + "'");
    sensitiveParameters =
        Maps.copy(sensitiveParameters, "Sensitive parameter of step '" + name + "'");
    for (String parameter : parameters.keySet()) {
      if (sensitiveParameters.containsKey(parameter)) {
        throw new IllegalArgumentException(
            "Step '"
                + name
                + "' has parameter '"
                + parameter
                + "' both as plain and as sensitive; give it one value");
      }
    }
  }

  @Override
  public String toString() {
    return "BundleStep[name="
        + name
        + ", script="
        + script.length()
        + " characters, parameters="
        + parameters
        + ", sensitiveParameters="
        + Maps.masked(sensitiveParameters)
        + "]";
  }
}
