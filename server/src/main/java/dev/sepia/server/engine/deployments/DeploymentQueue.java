package dev.sepia.server.engine.deployments;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskEngine;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.model.deployments.Deployment;
import dev.sepia.server.model.deployments.DeploymentStore;
import dev.sepia.server.model.deployments.Promotion;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.lifecycles.Lifecycle;
import dev.sepia.server.model.lifecycles.LifecycleStore;
import dev.sepia.server.model.projects.Project;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.releases.Release;
import dev.sepia.server.model.releases.ReleaseStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Queues deployments: checks the lifecycle, then records the deployment and its task in one
 * transaction, so the engine never finds a task without its deployment.
 */
public final class DeploymentQueue {
  private final Jdbi jdbi;
  private final TaskStore tasks;
  private final Supplier<TaskEngine> engine;

  /** {@code engine} is looked up late: the engine itself is built with the Deploy task. */
  public DeploymentQueue(Jdbi jdbi, Supplier<TaskEngine> engine) {
    this.jdbi = jdbi;
    this.tasks = new TaskStore(jdbi);
    this.engine = engine;
  }

  /** Queues a deployment of a release to an environment, if its lifecycle allows it. */
  public Deployment deploy(String releaseId, String environmentId, String requestedBy) {
    Deployment deployment =
        jdbi.inTransaction(
            h -> {
              Release release =
                  ReleaseStore.find(h, releaseId)
                      .orElseThrow(
                          () ->
                              new DeploymentRefusedException(
                                  404, "There is no release with id " + releaseId + "."));
              Environment environment =
                  EnvironmentStore.find(h, environmentId)
                      .orElseThrow(
                          () ->
                              new DeploymentRefusedException(
                                  404, "There is no environment with id " + environmentId + "."));
              Project project = ProjectStore.find(h, release.projectId()).orElseThrow();
              String refusal = lifecycleRefusal(h, project, release, environmentId);
              if (refusal != null) {
                throw new DeploymentRefusedException(409, refusal);
              }
              String id = queue(h, release, environment, requestedBy);
              AuditLog.record(
                  h,
                  requestedBy,
                  "DeploymentQueued",
                  "Queued deployment of "
                      + project.name()
                      + " release "
                      + release.version()
                      + " to "
                      + environment.name());
              return DeploymentStore.find(h, id).orElseThrow();
            });
    engine.get().wake();
    return deployment;
  }

  /**
   * A new attempt of a finished deployment: same release, same environment, under the lifecycle as
   * it is now (a project moved to a stricter lifecycle since cannot skip it by retrying).
   */
  ServerTask redeploy(String deploymentId, String requestedBy) {
    String taskId =
        jdbi.inTransaction(
            h -> {
              Deployment previous =
                  DeploymentStore.find(h, deploymentId)
                      .orElseThrow(
                          () ->
                              new DeploymentRefusedException(
                                  404, "Deployment " + deploymentId + " no longer exists."));
              Release release =
                  ReleaseStore.find(h, previous.releaseId())
                      .orElseThrow(
                          () ->
                              new DeploymentRefusedException(
                                  409, "The release of that deployment has been deleted."));
              Environment environment =
                  EnvironmentStore.find(h, previous.environmentId())
                      .orElseThrow(
                          () ->
                              new DeploymentRefusedException(
                                  409, "The environment of that deployment has been deleted."));
              Project project = ProjectStore.find(h, release.projectId()).orElseThrow();
              String refusal = lifecycleRefusal(h, project, release, environment.id());
              if (refusal != null) {
                throw new DeploymentRefusedException(
                    409, refusal + " A retry is a new deployment and follows the lifecycle.");
              }
              String id = queue(h, release, environment, requestedBy);
              return DeploymentStore.find(h, id).orElseThrow().taskId();
            });
    return tasks.find(taskId).orElseThrow();
  }

  /** The environments a release may go to now, in lifecycle order. */
  public List<String> allowedEnvironments(Release release) {
    return jdbi.withHandle(
        h -> {
          Project project = ProjectStore.find(h, release.projectId()).orElseThrow();
          return Promotion.allowedEnvironments(
              phases(h, project), DeploymentStore.succeededEnvironments(h, release.id()));
        });
  }

  private String lifecycleRefusal(
      Handle h, Project project, Release release, String environmentId) {
    Lifecycle lifecycle = lifecycleOf(h, project);
    Map<String, String> names = new HashMap<>();
    EnvironmentStore.listAll(h).forEach(e -> names.put(e.id(), e.name()));
    return Promotion.refusal(
        release.version(),
        lifecycle.name(),
        phases(h, project),
        DeploymentStore.succeededEnvironments(h, release.id()),
        environmentId,
        names);
  }

  private static Lifecycle lifecycleOf(Handle h, Project project) {
    return LifecycleStore.find(h, project.lifecycleId())
        .orElseGet(() -> LifecycleStore.defaultLifecycle(h));
  }

  private static List<Promotion.Phase> phases(Handle h, Project project) {
    return LifecycleStore.effectivePhases(h, lifecycleOf(h, project)).stream()
        .map(p -> new Promotion.Phase(p.name(), p.environmentIds()))
        .toList();
  }

  private static String queue(
      Handle h, Release release, Environment environment, String requestedBy) {
    String deploymentId = DeploymentStore.newId();
    String taskId =
        TaskStore.enqueue(
            h,
            DeploymentTask.NAME,
            "Deploy "
                + release.snapshot().projectName()
                + " release "
                + release.version()
                + " to "
                + environment.name(),
            DeploymentTask.arguments(deploymentId),
            requestedBy);
    DeploymentStore.insert(
        h, deploymentId, release.id(), release.projectId(), environment.id(), taskId, requestedBy);
    return deploymentId;
  }
}
