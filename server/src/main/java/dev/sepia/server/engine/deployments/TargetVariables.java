package dev.sepia.server.engine.deployments;

import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.releases.ReleaseSnapshot;
import dev.sepia.variables.Scope;
import dev.sepia.variables.TargetContext;
import dev.sepia.variables.VariableDefinition;
import dev.sepia.variables.VariableDictionary;
import dev.sepia.variables.VariableResolver;
import dev.sepia.variables.VariableSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables of one deployment, resolved for each of its targets: the release's snapshot with
 * its sensitive values opened, plus the built-in {@code Sepia.*} variables.
 */
final class TargetVariables {
  private final List<VariableSource> sources;
  private final Map<String, String> deploymentBuiltIns;
  private final String environmentId;

  TargetVariables(
      ReleaseSnapshot snapshot,
      Map<String, String> openedValues,
      String environmentId,
      Map<String, String> deploymentBuiltIns) {
    this.environmentId = environmentId;
    this.deploymentBuiltIns = Map.copyOf(deploymentBuiltIns);
    List<VariableSource> converted = new ArrayList<>();
    for (ReleaseSnapshot.VariableSource source : snapshot.variableSources()) {
      List<VariableDefinition> definitions = new ArrayList<>();
      for (ReleaseSnapshot.Variable v : source.variables()) {
        String value = v.sensitive() ? openedValues.get(v.sensitiveRef()) : v.value();
        definitions.add(
            new VariableDefinition(
                v.name(),
                value == null ? "" : value,
                v.sensitive(),
                new Scope(
                    new HashSet<>(v.environments()),
                    new HashSet<>(v.roles()),
                    new HashSet<>(v.machines()))));
      }
      converted.add(new VariableSource(source.label(), definitions));
    }
    this.sources = List.copyOf(converted);
  }

  /** The deployment's variables as a target sees them. */
  VariableDictionary forTarget(Machine target) {
    Map<String, String> builtIns = new LinkedHashMap<>(deploymentBuiltIns);
    builtIns.put("Sepia.Machine.Id", target.id());
    builtIns.put("Sepia.Machine.Name", target.name());
    builtIns.put("Sepia.Machine.Roles", String.join(",", target.roles()));
    return VariableResolver.resolve(
        sources,
        new TargetContext(environmentId, target.id(), Set.copyOf(target.roles())),
        builtIns);
  }

  /** Adds a step's parameters as {@code Parameters.<Name>} and the step's built-ins. */
  static VariableDictionary forStep(
      VariableDictionary target, ReleaseSnapshot.Step step, Map<String, String> openedValues) {
    Map<String, String> plain = new LinkedHashMap<>();
    Map<String, String> sensitive = new LinkedHashMap<>();
    step.parameters().forEach((name, value) -> plain.put("Parameters." + name, value));
    step.sensitiveParameters()
        .forEach(
            (name, ref) -> sensitive.put("Parameters." + name, openedValues.getOrDefault(ref, "")));
    plain.put("Sepia.Step.Name", step.name());
    return target.with(plain, sensitive);
  }
}
