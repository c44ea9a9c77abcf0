package dev.sepia.server.recovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.server.store.catalogue.EncryptedField;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Finds the owners of sealed values through each field's catalogued owner query. A variable's scope
 * is stored as lists of ids; they are turned into names here so that a report reads "scope:
 * environments Production".
 */
public final class Owners {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private Owners() {}

  /** The owners of these rows of {@code field}; a row the query does not find is left out. */
  public static Map<String, Owner> of(Handle h, EncryptedField field, Collection<String> rowIds) {
    Map<String, Owner> owners = new HashMap<>();
    if (rowIds.isEmpty()) {
      return owners;
    }
    List<RawOwner> raw =
        h.createQuery(field.ownerQuery())
            .bindList("ids", new ArrayList<>(rowIds))
            .map((rs, ctx) -> RawOwner.from(rs))
            .list();
    Names names = raw.stream().anyMatch(RawOwner::scoped) ? Names.load(h) : null;
    for (RawOwner r : raw) {
      String name = r.name == null ? r.rowId : r.name;
      if (r.scoped()) {
        name += names.scope(r.environments, r.roles, r.machines);
      }
      owners.put(r.rowId, new Owner(r.rowId, name, r.link, r.place));
    }
    return owners;
  }

  /** The owner of one row, or a stand-in naming the row when the query cannot find it. */
  public static Owner of(Handle h, EncryptedField field, String rowId) {
    Owner found = of(h, field, List.of(rowId)).get(rowId);
    return found != null ? found : new Owner(rowId, rowId, null, null);
  }

  private record RawOwner(
      String rowId,
      String name,
      String link,
      String place,
      List<String> environments,
      List<String> roles,
      List<String> machines) {
    static RawOwner from(ResultSet rs) throws SQLException {
      boolean scoped = hasColumn(rs, "scope_environments");
      return new RawOwner(
          rs.getString("row_id"),
          rs.getString("owner_name"),
          rs.getString("link"),
          rs.getString("place"),
          scoped ? list(rs.getString("scope_environments")) : List.of(),
          scoped ? list(rs.getString("scope_roles")) : List.of(),
          scoped ? list(rs.getString("scope_machines")) : List.of());
    }

    boolean scoped() {
      return !environments.isEmpty() || !roles.isEmpty() || !machines.isEmpty();
    }
  }

  private static boolean hasColumn(ResultSet rs, String column) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      if (meta.getColumnLabel(i).toLowerCase(Locale.ROOT).equals(column)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> list(String json) {
    try {
      return json == null ? List.of() : JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      return List.of(json);
    }
  }

  /** Names of environments and targets by id, for scopes. */
  private record Names(Map<String, String> environments, Map<String, String> machines) {
    static Names load(Handle h) {
      return new Names(names(h, "environments"), names(h, "machines"));
    }

    private static Map<String, String> names(Handle h, String table) {
      Map<String, String> names = new HashMap<>();
      h.createQuery("SELECT id, name FROM " + table)
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
          .forEach(e -> names.put(e.getKey(), e.getValue()));
      return names;
    }

    String scope(List<String> environmentIds, List<String> roles, List<String> machineIds) {
      List<String> parts = new ArrayList<>();
      if (!environmentIds.isEmpty()) {
        parts.add("environments " + named(environmentIds, environments));
      }
      if (!roles.isEmpty()) {
        parts.add("roles " + String.join(", ", roles));
      }
      if (!machineIds.isEmpty()) {
        parts.add("targets " + named(machineIds, machines));
      }
      return " (scope: " + String.join("; ", parts) + ")";
    }

    private static String named(List<String> ids, Map<String, String> names) {
      return String.join(", ", ids.stream().map(id -> names.getOrDefault(id, id)).toList());
    }
  }
}
