package dev.sepia.server.model.lifecycles;

import java.util.List;

/** A step of a lifecycle: the environments a release may reach once earlier phases are done. */
public record Phase(String name, List<String> environmentIds) {
  public Phase {
    environmentIds = List.copyOf(environmentIds);
  }
}
