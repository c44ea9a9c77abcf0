package dev.sepia.server.model.environments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * Targets name their environments by name (machines.environments), not by id: this finds the
 * targets in an environment and carries a rename over to them, matching names in any case.
 */
public final class MachineEnvironmentNames {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private MachineEnvironmentNames() {}

  private record Row(String id, String name, List<String> environments) {}

  /** Names of the targets in this environment. */
  public static List<String> machinesIn(Handle h, String environmentName) {
    return rows(h).stream()
        .filter(r -> r.environments().stream().anyMatch(e -> same(e, environmentName)))
        .map(Row::name)
        .toList();
  }

  /** Renames the environment on every target that names it; returns how many were changed. */
  public static int rename(Handle h, String oldName, String newName) {
    int changed = 0;
    for (Row row : rows(h)) {
      if (row.environments().stream().noneMatch(e -> same(e, oldName))) {
        continue;
      }
      List<String> renamed = new ArrayList<>();
      for (String e : row.environments()) {
        String name = same(e, oldName) ? newName : e;
        if (renamed.stream().noneMatch(r -> same(r, name))) {
          renamed.add(name);
        }
      }
      h.createUpdate("UPDATE machines SET environments = :environments WHERE id = :id")
          .bind("environments", toJson(renamed))
          .bind("id", row.id())
          .execute();
      changed++;
    }
    return changed;
  }

  private static List<Row> rows(Handle h) {
    return h.createQuery("SELECT id, name, environments FROM machines ORDER BY name")
        .map(
            (rs, ctx) ->
                new Row(rs.getString("id"), rs.getString("name"), fromJson(rs.getString(3))))
        .list();
  }

  private static boolean same(String a, String b) {
    return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
  }

  private static String toJson(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> fromJson(String json) {
    try {
      return json == null ? List.of() : JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored list is not JSON", e);
    }
  }
}
