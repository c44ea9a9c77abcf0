package dev.sepia.variables;

import java.util.Set;

/**
 * Where a variable definition applies. Each dimension lists the values it is limited to; an empty
 * dimension applies everywhere. Environments and machines are ids chosen by the caller; roles are
 * plain role names, compared case-insensitively.
 */
public record Scope(Set<String> environments, Set<String> roles, Set<String> machines) {

  /** Applies to every environment, role and machine. */
  public static final Scope UNSCOPED = new Scope(Set.of(), Set.of(), Set.of());

  /** Null dimensions are read as empty; the sets are copied. */
  public Scope {
    environments = environments == null ? Set.of() : Set.copyOf(environments);
    roles = roles == null ? Set.of() : Set.copyOf(roles);
    machines = machines == null ? Set.of() : Set.copyOf(machines);
  }

  /** A scope limited to the given environment ids only. */
  public static Scope ofEnvironments(String... ids) {
    return new Scope(Set.of(ids), Set.of(), Set.of());
  }

  /** A scope limited to the given role names only. */
  public static Scope ofRoles(String... names) {
    return new Scope(Set.of(), Set.of(names), Set.of());
  }

  /** A scope limited to the given machine ids only. */
  public static Scope ofMachines(String... ids) {
    return new Scope(Set.of(), Set.of(), Set.of(ids));
  }

  /** Whether every non-empty dimension contains the target's value. */
  public boolean matches(TargetContext target) {
    if (!environments.isEmpty()
        && (target.environment() == null || !environments.contains(target.environment()))) {
      return false;
    }
    if (!machines.isEmpty() && (target.machine() == null || !machines.contains(target.machine()))) {
      return false;
    }
    if (!roles.isEmpty()) {
      return roles.stream()
          .anyMatch(role -> target.roles().stream().anyMatch(role::equalsIgnoreCase));
    }
    return true;
  }

  /**
   * How specific this scope is: machine (4) outranks role (2) outranks environment (1), and more
   * dimensions outrank fewer at the same top dimension. A higher number wins.
   */
  public int specificity() {
    return (machines.isEmpty() ? 0 : 4)
        + (roles.isEmpty() ? 0 : 2)
        + (environments.isEmpty() ? 0 : 1);
  }
}
