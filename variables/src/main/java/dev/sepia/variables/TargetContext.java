package dev.sepia.variables;

import java.util.Set;

/**
 * What variables are resolved for: an environment id, a machine id and that machine's roles. On the
 * server, outside any one machine, {@code machine} is null and {@code roles} empty; machine- and
 * role-scoped definitions then do not apply.
 */
public record TargetContext(String environment, String machine, Set<String> roles) {

  /** Null roles are read as none; the set is copied. */
  public TargetContext {
    roles = roles == null ? Set.of() : Set.copyOf(roles);
  }

  /** A server-side context: an environment, no machine, no roles. */
  public static TargetContext environment(String environment) {
    return new TargetContext(environment, null, Set.of());
  }
}
