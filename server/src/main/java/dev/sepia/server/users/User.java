package dev.sepia.server.users;

/** A user as the rest of the server sees it: no password hash. */
public record User(String id, String username, String email, Role role, boolean active) {}
