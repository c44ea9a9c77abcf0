package dev.sepia.server.web.ui;

import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.lifecycles.Lifecycle;
import dev.sepia.server.model.lifecycles.LifecycleStore;
import dev.sepia.server.model.lifecycles.Phase;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * /lifecycles: the list (the default one marked) with an "add" form; /lifecycles/{id}: a
 * lifecycle's phases editor. The default lifecycle's phases are every environment, in order.
 */
public final class LifecyclePages implements ApiModule {
  private final Pages pages;

  public LifecyclePages(Pages pages) {
    this.pages = pages;
  }

  /** A phase as shown and edited; {@code key} keeps element ids unique within the page. */
  public record PhaseView(String key, String name, List<Environment> environments) {
    public boolean has(Environment environment) {
      return environments.stream().anyMatch(e -> e.id().equals(environment.id()));
    }

    public String environmentNames() {
      return String.join(", ", environments.stream().map(Environment::name).toList());
    }
  }

  /** A lifecycle with its effective phases. */
  public record LifecycleView(Lifecycle lifecycle, List<PhaseView> phases) {}

  @Override
  public void register(Javalin app) {
    app.get("/lifecycles", this::list);
    app.get("/lifecycles/{id}", this::show);
  }

  private void list(Context ctx) {
    List<LifecycleView> views = new ArrayList<>();
    List<Environment> environments = new ArrayList<>();
    pages
        .jdbi()
        .useHandle(
            h -> {
              environments.addAll(EnvironmentStore.listAll(h));
              for (Lifecycle l : ProjectPages.defaultFirst(LifecycleStore.listAll(h))) {
                views.add(view(h, l, environments));
              }
            });
    pages.render(
        ctx,
        "lifecycles.jte",
        pages.frame(ctx, "Lifecycles", "lifecycles"),
        Map.of("lifecycles", views, "environments", environments));
  }

  private void show(Context ctx) {
    String id = ctx.pathParam("id");
    List<Environment> environments = new ArrayList<>();
    List<String> usedBy = new ArrayList<>();
    LifecycleView view =
        pages
            .jdbi()
            .withHandle(
                h -> {
                  Lifecycle lifecycle = LifecycleStore.find(h, id).orElse(null);
                  if (lifecycle == null) {
                    return null;
                  }
                  environments.addAll(EnvironmentStore.listAll(h));
                  usedBy.addAll(ProjectStore.namesUsingLifecycle(h, id));
                  return view(h, lifecycle, environments);
                });
    if (view == null) {
      pages.notFound(ctx, "There is no such lifecycle.", "/lifecycles", "Lifecycles");
      return;
    }
    pages.render(
        ctx,
        "lifecycle.jte",
        pages.frame(ctx, view.lifecycle().name(), "lifecycles"),
        Map.of("view", view, "environments", environments, "usedBy", usedBy));
  }

  private static LifecycleView view(Handle h, Lifecycle lifecycle, List<Environment> environments) {
    List<PhaseView> phases = new ArrayList<>();
    List<Phase> effective = LifecycleStore.effectivePhases(h, lifecycle);
    for (int i = 0; i < effective.size(); i++) {
      Phase phase = effective.get(i);
      List<Environment> in =
          phase.environmentIds().stream()
              .map(
                  eid ->
                      environments.stream()
                          .filter(e -> e.id().equals(eid))
                          .findFirst()
                          .orElse(null))
              .filter(Objects::nonNull)
              .toList();
      phases.add(new PhaseView(Integer.toString(i), phase.name(), in));
    }
    return new LifecycleView(lifecycle, phases);
  }
}
