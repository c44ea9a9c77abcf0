package dev.sepia.server.web.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.server.model.deployments.Deployment;
import dev.sepia.server.model.deployments.DeploymentStore;
import dev.sepia.server.model.deployments.Promotion;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.lifecycles.Lifecycle;
import dev.sepia.server.model.lifecycles.LifecycleStore;
import dev.sepia.server.model.lifecycles.Phase;
import dev.sepia.server.model.projects.DeploymentStep;
import dev.sepia.server.model.projects.ProcessStore;
import dev.sepia.server.model.projects.Project;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.releases.Release;
import dev.sepia.server.model.releases.ReleaseStore;
import dev.sepia.server.model.variables.LibraryVariableSet;
import dev.sepia.server.model.variables.LibraryVariableSetStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * /projects: the list with an "add" form; /projects/{id}: a project's lifecycle, process summary
 * and releases, where releases are created and deployed, and its settings changed.
 */
public final class ProjectPages implements ApiModule {
  static final int RELEASES_SHOWN = 20;
  private static final int DEPLOYMENTS_READ = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Pages pages;

  public ProjectPages(Pages pages) {
    this.pages = pages;
  }

  /** A project in the list. */
  public record ProjectRow(Project project, String lifecycleName, String latestRelease) {}

  /** A lifecycle phase with its environments, for showing. */
  public record PhaseView(String name, List<Environment> environments) {}

  /** The newest deployment of a release to an environment, or none. */
  public record Cell(String state, String taskId) {
    public boolean empty() {
      return state == null;
    }
  }

  /** A release with its deployments (one cell per column) and where it may go now. */
  public record ReleaseRow(Release release, List<Cell> cells, List<Environment> deployTo) {
    public String created() {
      return when(release.createdAt());
    }

    /** The JSON body of POST /api/deployments for this release and environment. */
    public String deployBody(Environment environment) {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("releaseId", release.id());
      body.put("environmentId", environment.id());
      try {
        return JSON.writeValueAsString(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Everything the project page shows. */
  public record Overview(
      Project project,
      Lifecycle lifecycle,
      List<PhaseView> phases,
      List<Environment> columns,
      List<LibraryVariableSet> includedSets,
      List<DeploymentStep> steps,
      List<ReleaseRow> releases,
      int totalReleases,
      List<Lifecycle> lifecycles,
      List<LibraryVariableSet> librarySets) {
    public boolean includes(LibraryVariableSet set) {
      return project.libraryVariableSetIds().contains(set.id());
    }
  }

  static String when(Instant instant) {
    return instant == null ? "" : WHEN.format(instant);
  }

  @Override
  public void register(Javalin app) {
    app.get("/projects", this::list);
    app.get("/projects/{id}", this::show);
  }

  private void list(Context ctx) {
    List<ProjectRow> rows = new ArrayList<>();
    List<Lifecycle> lifecycles = new ArrayList<>();
    List<LibraryVariableSet> sets = new ArrayList<>();
    pages
        .jdbi()
        .useHandle(
            h -> {
              Map<String, String> lifecycleNames = new HashMap<>();
              LifecycleStore.listAll(h).forEach(l -> lifecycleNames.put(l.id(), l.name()));
              for (Project p : ProjectStore.listAll(h)) {
                rows.add(
                    new ProjectRow(
                        p,
                        lifecycleNames.getOrDefault(p.lifecycleId(), ""),
                        ReleaseStore.latestVersion(h, p.id()).orElse(null)));
              }
              lifecycles.addAll(defaultFirst(LifecycleStore.listAll(h)));
              sets.addAll(LibraryVariableSetStore.listAll(h));
            });
    pages.render(
        ctx,
        "projects.jte",
        pages.frame(ctx, "Projects", "projects"),
        Map.of("projects", rows, "lifecycles", lifecycles, "librarySets", sets));
  }

  private void show(Context ctx) {
    Overview overview = pages.jdbi().withHandle(h -> overview(h, ctx.pathParam("id")));
    if (overview == null) {
      pages.notFound(ctx, "There is no such project.", "/projects", "Projects");
      return;
    }
    pages.render(
        ctx,
        "project.jte",
        pages.frame(ctx, overview.project().name(), "projects"),
        Map.of("overview", overview));
  }

  private Overview overview(Handle h, String id) {
    DeploymentStore deployments = new DeploymentStore(pages.jdbi());
    ReleaseStore releases = new ReleaseStore(pages.jdbi());
    Project project = ProjectStore.find(h, id).orElse(null);
    if (project == null) {
      return null;
    }
    Lifecycle lifecycle =
        LifecycleStore.find(h, project.lifecycleId())
            .orElseGet(() -> LifecycleStore.defaultLifecycle(h));
    Map<String, Environment> environments = new LinkedHashMap<>();
    EnvironmentStore.listAll(h).forEach(e -> environments.put(e.id(), e));
    List<Phase> phases = LifecycleStore.effectivePhases(h, lifecycle);
    List<PhaseView> phaseViews = new ArrayList<>();
    List<Environment> columns = new ArrayList<>();
    for (Phase phase : phases) {
      List<Environment> inPhase =
          phase.environmentIds().stream().map(environments::get).filter(Objects::nonNull).toList();
      phaseViews.add(new PhaseView(phase.name(), inPhase));
      columns.addAll(inPhase);
    }
    List<Promotion.Phase> rule =
        phases.stream().map(p -> new Promotion.Phase(p.name(), p.environmentIds())).toList();

    Map<String, Deployment> latest = new HashMap<>();
    // Newest first: the first seen per release and environment is the latest.
    for (Deployment d : deployments.list(project.id(), null, null, 0, DEPLOYMENTS_READ).items()) {
      latest.putIfAbsent(d.releaseId() + "|" + d.environmentId(), d);
    }
    ReleaseStore.Page page = releases.list(project.id(), null, 0, RELEASES_SHOWN);
    List<ReleaseRow> rows = new ArrayList<>();
    for (Release release : page.items()) {
      List<Cell> cells = new ArrayList<>();
      for (Environment column : columns) {
        Deployment d = latest.get(release.id() + "|" + column.id());
        cells.add(d == null ? new Cell(null, null) : new Cell(d.state().name(), d.taskId()));
      }
      Set<String> succeeded = DeploymentStore.succeededEnvironments(h, release.id());
      List<Environment> deployTo =
          Promotion.allowedEnvironments(rule, succeeded).stream()
              .map(environments::get)
              .filter(Objects::nonNull)
              .toList();
      rows.add(new ReleaseRow(release, cells, deployTo));
    }
    List<LibraryVariableSet> sets = LibraryVariableSetStore.listAll(h);
    List<LibraryVariableSet> included =
        project.libraryVariableSetIds().stream()
            .map(sid -> sets.stream().filter(s -> s.id().equals(sid)).findFirst().orElse(null))
            .filter(Objects::nonNull)
            .toList();
    return new Overview(
        project,
        lifecycle,
        phaseViews,
        columns,
        included,
        ProcessStore.steps(h, project.id()),
        rows,
        page.totalResults(),
        defaultFirst(LifecycleStore.listAll(h)),
        sets);
  }

  /** The default lifecycle first (it is what a new project gets), then the others by name. */
  static List<Lifecycle> defaultFirst(List<Lifecycle> lifecycles) {
    List<Lifecycle> out = new ArrayList<>();
    lifecycles.stream().filter(Lifecycle::isDefault).forEach(out::add);
    lifecycles.stream().filter(l -> !l.isDefault()).forEach(out::add);
    return out;
  }
}
