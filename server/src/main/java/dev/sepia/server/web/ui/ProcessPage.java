package dev.sepia.server.web.ui;

import dev.sepia.server.model.projects.DeploymentStep;
import dev.sepia.server.model.projects.ProcessStore;
import dev.sepia.server.model.projects.Project;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * /projects/{id}/process: the deployment process editor. Sensitive step parameters are shown by
 * name only, with a write-only field to replace each; their values never reach the browser.
 */
public final class ProcessPage implements ApiModule {
  private final Pages pages;

  public ProcessPage(Pages pages) {
    this.pages = pages;
  }

  /**
   * A step as the editor shows it; {@code key} keeps element ids unique within the page.
   *
   * @param sensitiveParameterNames the names of its sealed parameters, never their values
   */
  public record StepView(
      String key,
      String id,
      String name,
      List<String> targetRoles,
      String script,
      Map<String, String> parameters,
      int maxParallel,
      List<String> sensitiveParameterNames) {

    static StepView of(int index, DeploymentStep step) {
      return new StepView(
          Integer.toString(index),
          step.id(),
          step.name(),
          step.targetRoles(),
          step.script(),
          step.parameters(),
          step.maxParallel(),
          List.copyOf(step.sensitiveParameterNames()));
    }

    public String rolesText() {
      return String.join(", ", targetRoles);
    }

    /** Plain parameters as the "Name=value" lines the editor reads back. */
    public String parametersText() {
      return parameters.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("\n"));
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/projects/{id}/process", this::show);
  }

  private void show(Context ctx) {
    Project project = new ProjectStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    if (project == null) {
      pages.notFound(ctx, "There is no such project.", "/projects", "Projects");
      return;
    }
    List<DeploymentStep> steps = new ProcessStore(pages.jdbi()).steps(project.id());
    List<StepView> views = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      views.add(StepView.of(i, steps.get(i)));
    }
    pages.render(
        ctx,
        "process.jte",
        pages.frame(ctx, "Process of " + project.name(), "projects"),
        Map.of("project", project, "steps", views));
  }
}
