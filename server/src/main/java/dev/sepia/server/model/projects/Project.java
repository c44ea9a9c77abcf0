package dev.sepia.server.model.projects;

import java.util.List;

/** A project as stored: what is deployed, along which lifecycle, with which library sets. */
public record Project(
    String id,
    String name,
    String description,
    String lifecycleId,
    List<String> libraryVariableSetIds) {
  public Project {
    libraryVariableSetIds = List.copyOf(libraryVariableSetIds);
  }
}
