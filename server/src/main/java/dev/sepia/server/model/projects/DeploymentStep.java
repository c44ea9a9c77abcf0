package dev.sepia.server.model.projects;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A step of a project's deployment process. Its sensitive parameters are held sealed apart; only
 * their names are here (open them with {@link ProcessStore#openSensitiveParameters}).
 */
public record DeploymentStep(
    String id,
    String projectId,
    int position,
    String name,
    StepKind kind,
    List<String> targetRoles,
    String script,
    Map<String, String> parameters,
    int maxParallel,
    Set<String> sensitiveParameterNames) {
  public DeploymentStep {
    targetRoles = List.copyOf(targetRoles);
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    sensitiveParameterNames = Collections.unmodifiableSet(new TreeSet<>(sensitiveParameterNames));
  }
}
