package dev.sepia.bundle;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an offline bundle deploys: which deployment it is, its steps in order, and the variables
 * already resolved for this target (raw values, before substitution). Sensitive variables are
 * sealed in the bundle; {@code toString()} shows only their names.
 */
public record BundleContent(
    String projectName,
    String releaseNumber,
    String environmentName,
    String targetName,
    String deploymentId,
    List<BundleStep> steps,
    Map<String, String> variables,
    Map<String, String> sensitiveVariables) {

  public BundleContent {
    Objects.requireNonNull(projectName, "projectName");
    Objects.requireNonNull(releaseNumber, "releaseNumber");
    Objects.requireNonNull(environmentName, "environmentName");
    Objects.requireNonNull(targetName, "targetName");
    Objects.requireNonNull(deploymentId, "deploymentId");
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    variables = Maps.copy(variables, "Variable");
    sensitiveVariables = Maps.copy(sensitiveVariables, "Sensitive variable");
    for (String name : variables.keySet()) {
      if (sensitiveVariables.containsKey(name)) {
        throw new IllegalArgumentException(
            "Variable '" + name + "' is both plain and sensitive; give it one value");
      }
    }
  }

  @Override
  public String toString() {
    return "BundleContent[projectName="
        + projectName
        + ", releaseNumber="
        + releaseNumber
        + ", environmentName="
        + environmentName
        + ", targetName="
        + targetName
        + ", deploymentId="
        + deploymentId
        + ", steps="
        + steps
        + ", variables="
        + variables
        + ", sensitiveVariables="
        + Maps.masked(sensitiveVariables)
        + "]";
  }
}
