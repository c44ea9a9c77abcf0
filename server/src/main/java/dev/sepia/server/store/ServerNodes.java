package dev.sepia.server.store;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Server processes using this database. A running server refreshes its heartbeat every few seconds,
 * so commands that must not run beside a live server (recovery, rotation) can tell.
 */
public final class ServerNodes {
  public static final Duration HEARTBEAT = Duration.ofSeconds(10);

  private final Jdbi jdbi;

  public ServerNodes(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * A server node; {@code activeKeyId} is the id of the master key it seals with, {@code keyIds}
   * the ids of every key it opens with (null and empty for a node that has not said).
   */
  public record Node(
      String name,
      String host,
      long pid,
      String webUrl,
      Instant lastSeenAt,
      String activeKeyId,
      List<String> keyIds) {}

  public void started(String name, String host, long pid, String webUrl) {
    Instant now = Instant.now();
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM server_nodes WHERE name = :name")
              .bind("name", name)
              .execute();
          h.createUpdate(
                  "INSERT INTO server_nodes (name, host, pid, web_url, started_at, last_seen_at)"
                      + " VALUES (:name, :host, :pid, :url, :now, :now)")
              .bind("name", name)
              .bind("host", host)
              .bind("pid", pid)
              .bind("url", webUrl)
              .bind("now", now)
              .execute();
        });
  }

  public void heartbeat(String name) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE server_nodes SET last_seen_at = :now WHERE name = :name")
                .bind("now", Instant.now())
                .bind("name", name)
                .execute());
  }

  /**
   * Records which master key this node seals with and which it opens with, so a rotation knows when
   * every node can open with the new key, and when every node seals with it.
   */
  public void recordKeys(String name, String activeKeyId, List<String> keyIds) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE server_nodes SET active_key_id = :active, key_ids = :ids"
                        + " WHERE name = :name")
                .bind("active", activeKeyId)
                .bind("ids", String.join(",", keyIds))
                .bind("name", name)
                .execute());
  }

  public void stopped(String name) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE server_nodes SET stopped_at = :now WHERE name = :name")
                .bind("now", Instant.now())
                .bind("name", name)
                .execute());
  }

  /**
   * Nodes that have not stopped and whose heartbeat is recent. A node on this host whose process is
   * gone is not live, even if it could not record its stop (so a command run right after {@code
   * service --stop} is not refused for half a minute).
   */
  public List<Node> live() {
    String thisHost = hostName();
    return recentlySeen().stream()
        .filter(
            n ->
                !n.host().equals(thisHost)
                    || ProcessHandle.of(n.pid()).map(ProcessHandle::isAlive).orElse(false))
        .toList();
  }

  public static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  // SELECT * and this check, because commands such as lost-master-key read the nodes of a database
  // whose schema is older than these columns (they upgrade it only after asking).
  private static String optionalColumn(ResultSet rs, String column) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      if (meta.getColumnLabel(i).equalsIgnoreCase(column)) {
        return rs.getString(i);
      }
    }
    return null;
  }

  private static List<String> keyIds(ResultSet rs) throws SQLException {
    String ids = optionalColumn(rs, "key_ids");
    return ids == null || ids.isBlank() ? List.of() : List.of(ids.split(","));
  }

  private List<Node> recentlySeen() {
    Instant cutoff = Instant.now().minus(HEARTBEAT.multipliedBy(3));
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM server_nodes"
                        + " WHERE stopped_at IS NULL AND last_seen_at > :cutoff ORDER BY name")
                .bind("cutoff", cutoff)
                .map(
                    (rs, ctx) ->
                        new Node(
                            rs.getString("name"),
                            rs.getString("host"),
                            rs.getLong("pid"),
                            rs.getString("web_url"),
                            rs.getTimestamp("last_seen_at").toInstant(),
                            optionalColumn(rs, "active_key_id"),
                            keyIds(rs)))
                .list());
  }
}
