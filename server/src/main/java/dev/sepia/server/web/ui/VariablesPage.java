package dev.sepia.server.web.ui;

import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.projects.Project;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.variables.StoredVariable;
import dev.sepia.server.model.variables.VariableStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * /projects/{id}/variables: a project's variables editor. The editor itself is shared with library
 * variable sets ({@link #editor}).
 */
public final class VariablesPage implements ApiModule {
  private final Pages pages;

  public VariablesPage(Pages pages) {
    this.pages = pages;
  }

  /**
   * A variable as the editor shows it: a sensitive one carries no value at all (not even sealed),
   * so a template cannot show one by mistake.
   */
  public record VariableRow(
      String key,
      String id,
      String name,
      boolean sensitive,
      String plainValue,
      List<String> environmentIds,
      List<String> roles,
      List<String> machineIds) {

    static VariableRow of(int index, StoredVariable v) {
      return new VariableRow(
          Integer.toString(index),
          v.id(),
          v.name(),
          v.sensitive(),
          v.sensitive() ? null : v.plainValue(),
          v.environmentIds(),
          v.roles(),
          v.machineIds());
    }

    public String rolesText() {
      return String.join(", ", roles);
    }
  }

  /** The variables of one owner, where they are saved, and what their scopes can name. */
  public record Editor(
      String apiPath,
      List<VariableRow> variables,
      List<Environment> environments,
      List<Machine> machines) {

    public String environmentName(String id) {
      return environments.stream()
          .filter(e -> e.id().equals(id))
          .map(Environment::name)
          .findFirst()
          .orElse(id);
    }

    public String machineName(String id) {
      return machines.stream()
          .filter(m -> m.id().equals(id))
          .map(Machine::name)
          .findFirst()
          .orElse(id);
    }
  }

  /** The editor for the variables of {@code ownerId}, saved with PUT to {@code apiPath}. */
  static Editor editor(Jdbi jdbi, String ownerId, String apiPath) {
    List<StoredVariable> stored = new VariableStore(jdbi).list(ownerId);
    List<VariableRow> rows = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      rows.add(VariableRow.of(i, stored.get(i)));
    }
    return new Editor(
        apiPath, rows, new EnvironmentStore(jdbi).listAll(), new MachineStore(jdbi).all());
  }

  @Override
  public void register(Javalin app) {
    app.get("/projects/{id}/variables", this::show);
  }

  private void show(Context ctx) {
    Project project = new ProjectStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    if (project == null) {
      pages.notFound(ctx, "There is no such project.", "/projects", "Projects");
      return;
    }
    pages.render(
        ctx,
        "variables.jte",
        pages.frame(ctx, "Variables of " + project.name(), "projects"),
        Map.of(
            "project",
            project,
            "editor",
            editor(pages.jdbi(), project.id(), "/api/projects/" + project.id() + "/variables")));
  }
}
