package dev.sepia.server.web.ui;

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
import dev.sepia.server.model.releases.ReleaseSnapshot;
import dev.sepia.server.model.releases.ReleaseStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * /releases/{id}: what a release froze (steps, variables; sensitive ones only as "set"), its
 * deployments, and the environments it may be deployed to now.
 */
public final class ReleasePages implements ApiModule {
  private static final int DEPLOYMENTS_SHOWN = 100;
  private final Pages pages;

  public ReleasePages(Pages pages) {
    this.pages = pages;
  }

  /** A frozen variable as shown: a sensitive one without its value. */
  public record FrozenVariable(String source, String name, boolean sensitive, String value) {}

  /** A deployment of the release, with its environment's name. */
  public record DeploymentRow(Deployment deployment, String environmentName) {
    public String created() {
      return ProjectPages.when(deployment.createdAt());
    }
  }

  /** Everything the release page shows. */
  public record View(
      Release release,
      Project project,
      List<ReleaseSnapshot.Step> steps,
      List<FrozenVariable> variables,
      List<DeploymentRow> deployments,
      ProjectPages.ReleaseRow row) {}

  @Override
  public void register(Javalin app) {
    app.get("/releases/{id}", this::show);
  }

  private void show(Context ctx) {
    Release release = new ReleaseStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    Project project =
        release == null
            ? null
            : new ProjectStore(pages.jdbi()).find(release.projectId()).orElse(null);
    if (release == null || project == null) {
      pages.notFound(ctx, "There is no such release.", "/projects", "Projects");
      return;
    }
    Map<String, Environment> environments = new LinkedHashMap<>();
    new EnvironmentStore(pages.jdbi()).listAll().forEach(e -> environments.put(e.id(), e));
    List<DeploymentRow> deployments = new ArrayList<>();
    for (Deployment d :
        new DeploymentStore(pages.jdbi())
            .list(null, release.id(), null, 0, DEPLOYMENTS_SHOWN)
            .items()) {
      Environment e = environments.get(d.environmentId());
      deployments.add(new DeploymentRow(d, e == null ? d.environmentId() : e.name()));
    }
    List<Environment> deployTo =
        pages
            .jdbi()
            .withHandle(
                h -> {
                  Lifecycle lifecycle =
                      LifecycleStore.find(h, project.lifecycleId())
                          .orElseGet(() -> LifecycleStore.defaultLifecycle(h));
                  List<Promotion.Phase> phases =
                      LifecycleStore.effectivePhases(h, lifecycle).stream()
                          .map(p -> new Promotion.Phase(p.name(), p.environmentIds()))
                          .toList();
                  return Promotion.allowedEnvironments(
                          phases, DeploymentStore.succeededEnvironments(h, release.id()))
                      .stream()
                      .map(environments::get)
                      .filter(Objects::nonNull)
                      .toList();
                });
    List<FrozenVariable> variables = new ArrayList<>();
    for (ReleaseSnapshot.VariableSource source : release.snapshot().variableSources()) {
      for (ReleaseSnapshot.Variable v : source.variables()) {
        variables.add(
            new FrozenVariable(
                source.label(), v.name(), v.sensitive(), v.sensitive() ? null : v.value()));
      }
    }
    View view =
        new View(
            release,
            project,
            release.snapshot().steps(),
            variables,
            deployments,
            new ProjectPages.ReleaseRow(release, List.of(), deployTo));
    pages.render(
        ctx,
        "release.jte",
        pages.frame(ctx, project.name() + " " + release.version(), "projects"),
        Map.of("view", view));
  }
}
