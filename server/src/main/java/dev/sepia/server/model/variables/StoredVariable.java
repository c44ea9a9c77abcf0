package dev.sepia.server.model.variables;

import java.util.List;

/**
 * A variable as stored. A sensitive one has no plain value; its value is sealed in {@code
 * sealedValue}, bound to this row's id (open it with {@link VariableStore#open}). Empty scope lists
 * mean "everywhere".
 */
public record StoredVariable(
    String id,
    String ownerId,
    String name,
    boolean sensitive,
    String plainValue,
    String sealedValue,
    List<String> environmentIds,
    List<String> roles,
    List<String> machineIds,
    int position) {
  public StoredVariable {
    environmentIds = List.copyOf(environmentIds);
    roles = List.copyOf(roles);
    machineIds = List.copyOf(machineIds);
  }

  @Override
  public String toString() {
    return "StoredVariable[id="
        + id
        + ", ownerId="
        + ownerId
        + ", name="
        + name
        + ", sensitive="
        + sensitive
        + ", value="
        + (sensitive ? "<masked>" : plainValue)
        + ", environmentIds="
        + environmentIds
        + ", roles="
        + roles
        + ", machineIds="
        + machineIds
        + ", position="
        + position
        + "]";
  }
}
