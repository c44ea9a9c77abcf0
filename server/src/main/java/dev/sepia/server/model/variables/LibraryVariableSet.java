package dev.sepia.server.model.variables;

/** A named set of variables that projects can include. */
public record LibraryVariableSet(String id, String name, String description) {}
