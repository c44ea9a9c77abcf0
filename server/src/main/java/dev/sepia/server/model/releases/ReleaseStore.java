package dev.sepia.server.model.releases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.server.recovery.ClearedValues;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Releases and the sealed sensitive values of their snapshots. */
public final class ReleaseStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, project_id, version, notes, snapshot, created_by, created_at";
  private static final RowMapper<Release> RELEASE =
      (rs, ctx) ->
          new Release(
              rs.getString("id"),
              rs.getString("project_id"),
              rs.getString("version"),
              rs.getString("notes"),
              parse(rs.getString("snapshot")),
              rs.getString("created_by"),
              rs.getTimestamp("created_at").toInstant());

  private final Jdbi jdbi;

  public ReleaseStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public record Page(List<Release> items, int totalResults) {}

  /** A sensitive value to freeze with a release, under the ref its snapshot uses. */
  public record SensitiveValue(String ref, String name, String value) {
    @Override
    public String toString() {
      return "SensitiveValue[ref=" + ref + ", name=" + name + ", value=<masked>]";
    }
  }

  /** A new id for a sensitive value in a snapshot (its row id, bound into its ciphertext). */
  public static String newSensitiveRef() {
    return "ReleaseValues-" + UUID.randomUUID();
  }

  public static String insert(
      Handle h,
      Barrier barrier,
      String projectId,
      String version,
      String notes,
      ReleaseSnapshot snapshot,
      List<SensitiveValue> sensitiveValues,
      String createdBy) {
    String id = "Releases-" + UUID.randomUUID();
    h.createUpdate(
            "INSERT INTO releases (id, project_id, version, notes, snapshot, created_by,"
                + " created_at) VALUES (:id, :project, :version, :notes, :snapshot, :by, :now)")
        .bind("id", id)
        .bind("project", projectId)
        .bind("version", version)
        .bind("notes", notes)
        .bind("snapshot", toJson(snapshot))
        .bind("by", createdBy)
        .bind("now", Instant.now())
        .execute();
    for (SensitiveValue value : sensitiveValues) {
      h.createUpdate(
              "INSERT INTO release_sensitive_values (id, release_id, name, sealed_value) VALUES"
                  + " (:id, :release, :name, :sealed)")
          .bind("id", value.ref())
          .bind("release", id)
          .bind("name", value.name())
          .bind(
              "sealed",
              barrier.seal(
                  EncryptedFieldCatalogue.RELEASE_SENSITIVE_VALUE, value.ref(), value.value()))
          .execute();
    }
    return id;
  }

  /**
   * Opens every sensitive value of a release: ref → value. A value a recovery cleared fails with a
   * {@link dev.sepia.server.recovery.ClearedValueException} that names it.
   */
  public static Map<String, String> openSensitiveValues(Handle h, Barrier barrier, String releaseId)
      throws GeneralSecurityException {
    Map<String, String> values = new HashMap<>();
    // A cleared value is NULL, which Map.entry refuses: a small record carries the row.
    record Row(String id, String sealed) {}
    List<Row> rows =
        h.createQuery(
                "SELECT id, sealed_value FROM release_sensitive_values WHERE release_id = :id")
            .bind("id", releaseId)
            .map((rs, ctx) -> new Row(rs.getString("id"), rs.getString("sealed_value")))
            .list();
    for (Row row : rows) {
      if (row.sealed() == null) {
        throw ClearedValues.failure(h, EncryptedFieldCatalogue.RELEASE_SENSITIVE_VALUE, row.id());
      }
      values.put(
          row.id(),
          barrier.openString(
              EncryptedFieldCatalogue.RELEASE_SENSITIVE_VALUE, row.id(), row.sealed()));
    }
    return values;
  }

  public Optional<Release> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  public static Optional<Release> find(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM releases WHERE id = :id")
        .bind("id", id)
        .map(RELEASE)
        .findOne();
  }

  public static Optional<Release> findByVersion(Handle h, String projectId, String version) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM releases WHERE project_id = :p AND version = :v")
        .bind("p", projectId)
        .bind("v", version)
        .map(RELEASE)
        .findOne();
  }

  /** The most recently created release's version, for numbering the next one. */
  public static Optional<String> latestVersion(Handle h, String projectId) {
    return h.createQuery(
            "SELECT version FROM releases WHERE project_id = :p ORDER BY created_at DESC, id"
                + " LIMIT 1")
        .bind("p", projectId)
        .mapTo(String.class)
        .findOne();
  }

  /** Newest first; {@code versionFilter} matches part of the version, ignoring case. */
  public Page list(String projectId, String versionFilter, int skip, int take) {
    String where =
        " WHERE project_id = :p" + (versionFilter == null ? "" : " AND LOWER(version) LIKE :v");
    return jdbi.withHandle(
        h -> {
          var count = h.createQuery("SELECT COUNT(*) FROM releases" + where).bind("p", projectId);
          var query =
              h.createQuery(
                      "SELECT "
                          + COLUMNS
                          + " FROM releases"
                          + where
                          + " ORDER BY created_at DESC, id LIMIT :take OFFSET :skip")
                  .bind("p", projectId);
          if (versionFilter != null) {
            String pattern = "%" + versionFilter.toLowerCase(Locale.ROOT) + "%";
            count.bind("v", pattern);
            query.bind("v", pattern);
          }
          int total = count.mapTo(Integer.class).one();
          return new Page(query.bind("take", take).bind("skip", skip).map(RELEASE).list(), total);
        });
  }

  public static void delete(Handle h, String id) {
    h.createUpdate("DELETE FROM release_sensitive_values WHERE release_id = :id")
        .bind("id", id)
        .execute();
    h.createUpdate("DELETE FROM releases WHERE id = :id").bind("id", id).execute();
  }

  private static String toJson(ReleaseSnapshot snapshot) {
    try {
      return JSON.writeValueAsString(snapshot);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ReleaseSnapshot parse(String json) {
    try {
      return JSON.readValue(json, ReleaseSnapshot.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A stored release snapshot is not valid JSON", e);
    }
  }
}
