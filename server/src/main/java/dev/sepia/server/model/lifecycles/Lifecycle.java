package dev.sepia.server.model.lifecycles;

import java.util.List;

/**
 * A lifecycle as stored. The default lifecycle has no phases of its own ({@code phases} is null):
 * every environment, in order, is a phase; see {@link LifecycleStore#effectivePhases(Lifecycle)}.
 */
public record Lifecycle(
    String id, String name, String description, boolean isDefault, List<Phase> phases) {
  public Lifecycle {
    phases = phases == null ? null : List.copyOf(phases);
  }
}
