package dev.sepia.server.model.environments;

/** An environment as stored; environments are shown and promoted through in sort order. */
public record Environment(String id, String name, String description, int sortOrder) {}
