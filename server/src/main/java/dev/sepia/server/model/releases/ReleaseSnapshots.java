package dev.sepia.server.model.releases;

import dev.sepia.server.model.projects.DeploymentStep;
import dev.sepia.server.model.projects.ProcessStore;
import dev.sepia.server.model.projects.Project;
import dev.sepia.server.model.releases.ReleaseStore.SensitiveValue;
import dev.sepia.server.model.variables.LibraryVariableSet;
import dev.sepia.server.model.variables.LibraryVariableSetStore;
import dev.sepia.server.model.variables.StoredVariable;
import dev.sepia.server.model.variables.VariableStore;
import dev.sepia.server.security.Barrier;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Freezes a project's process and variables (its own, then its library sets', in order) into a
 * release snapshot. Sensitive values are re-sealed for the release, so later changes to the project
 * do not change what the release deploys.
 */
public final class ReleaseSnapshots {
  private final Barrier barrier;

  public ReleaseSnapshots(Barrier barrier) {
    this.barrier = barrier;
  }

  /** A snapshot and the sensitive values it refers to. */
  public record Frozen(ReleaseSnapshot snapshot, List<SensitiveValue> sensitiveValues) {}

  public Frozen freeze(Handle h, Project project) throws GeneralSecurityException {
    List<SensitiveValue> sensitive = new ArrayList<>();
    List<ReleaseSnapshot.Step> steps = new ArrayList<>();
    for (DeploymentStep step : ProcessStore.steps(h, project.id())) {
      Map<String, String> refs = new LinkedHashMap<>();
      for (Map.Entry<String, String> parameter :
          ProcessStore.openSensitiveParameters(h, barrier, step.id()).entrySet()) {
        String ref = ReleaseStore.newSensitiveRef();
        refs.put(parameter.getKey(), ref);
        sensitive.add(
            new SensitiveValue(
                ref, step.name() + " / " + parameter.getKey(), parameter.getValue()));
      }
      steps.add(
          new ReleaseSnapshot.Step(
              step.id(),
              step.name(),
              step.kind().name(),
              step.targetRoles(),
              step.script(),
              step.parameters(),
              refs,
              step.maxParallel()));
    }
    List<ReleaseSnapshot.VariableSource> sources = new ArrayList<>();
    sources.add(source(h, "project " + project.name(), project.id(), sensitive));
    for (String setId : project.libraryVariableSetIds()) {
      LibraryVariableSet set = LibraryVariableSetStore.find(h, setId).orElse(null);
      if (set != null) {
        sources.add(source(h, "library set " + set.name(), set.id(), sensitive));
      }
    }
    return new Frozen(new ReleaseSnapshot(project.name(), steps, sources), sensitive);
  }

  private ReleaseSnapshot.VariableSource source(
      Handle h, String label, String ownerId, List<SensitiveValue> sensitive)
      throws GeneralSecurityException {
    List<ReleaseSnapshot.Variable> variables = new ArrayList<>();
    for (StoredVariable v : VariableStore.list(h, ownerId)) {
      String ref = null;
      String value = v.plainValue();
      if (v.sensitive()) {
        ref = ReleaseStore.newSensitiveRef();
        sensitive.add(new SensitiveValue(ref, v.name(), VariableStore.open(h, barrier, v)));
        value = null;
      }
      variables.add(
          new ReleaseSnapshot.Variable(
              v.name(), value, ref, v.environmentIds(), v.roles(), v.machineIds()));
    }
    return new ReleaseSnapshot.VariableSource(label, variables);
  }
}
