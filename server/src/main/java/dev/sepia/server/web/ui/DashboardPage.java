package dev.sepia.server.web.ui;

import dev.sepia.server.model.deployments.Deployment;
import dev.sepia.server.model.deployments.DeploymentStore;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.projects.Project;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.releases.ReleaseStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** GET /: projects × environments, each cell the latest deployment's release and state. */
public final class DashboardPage implements ApiModule {
  private final Pages pages;

  public DashboardPage(Pages pages) {
    this.pages = pages;
  }

  /** One cell: the newest deployment of a project to an environment, or empty. */
  public record Cell(String version, String state, String taskId) {
    public boolean empty() {
      return state == null;
    }
  }

  /** One project's row. */
  public record Row(Project project, List<Cell> cells) {}

  @Override
  public void register(Javalin app) {
    app.get("/", this::show);
  }

  private void show(Context ctx) {
    List<Environment> environments = new EnvironmentStore(pages.jdbi()).listAll();
    Map<String, Deployment> latest = new HashMap<>();
    for (Deployment d : new DeploymentStore(pages.jdbi()).latestPerProjectAndEnvironment()) {
      latest.put(d.projectId() + "|" + d.environmentId(), d);
    }
    ReleaseStore releases = new ReleaseStore(pages.jdbi());
    Map<String, String> versions = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    List<Project> projects = pages.jdbi().withHandle(ProjectStore::listAll);
    for (Project project : projects) {
      List<Cell> cells = new ArrayList<>();
      for (Environment environment : environments) {
        Deployment d = latest.get(project.id() + "|" + environment.id());
        if (d == null) {
          cells.add(new Cell(null, null, null));
        } else {
          String version =
              versions.computeIfAbsent(
                  d.releaseId(), id -> releases.find(id).map(r -> r.version()).orElse("?"));
          cells.add(new Cell(version, d.state().name(), d.taskId()));
        }
      }
      rows.add(new Row(project, cells));
    }
    pages.render(
        ctx,
        "dashboard.jte",
        pages.frame(ctx, "Dashboard", "dashboard"),
        Map.of("environments", environments, "rows", rows));
  }
}
