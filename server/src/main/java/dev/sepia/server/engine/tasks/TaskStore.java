package dev.sepia.server.engine.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Server tasks in the database. A node claims a queued task with a conditional update, so when
 * several nodes share the database each task runs exactly once.
 */
public final class TaskStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, name, description, arguments, state, created_by, queued_at, started_at, completed_at,"
          + " claimed_by, error_message";
  private static final RowMapper<ServerTask> TASK =
      (rs, ctx) ->
          new ServerTask(
              rs.getString("id"),
              rs.getString("name"),
              rs.getString("description"),
              parse(rs.getString("arguments")),
              TaskState.valueOf(rs.getString("state")),
              rs.getString("created_by"),
              instant(rs.getTimestamp("queued_at")),
              instant(rs.getTimestamp("started_at")),
              instant(rs.getTimestamp("completed_at")),
              rs.getString("claimed_by"),
              rs.getString("error_message"));

  private final Jdbi jdbi;

  public TaskStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public ServerTask enqueue(String name, String description, JsonNode arguments, String by) {
    String id = jdbi.inTransaction(h -> enqueue(h, name, description, arguments, by));
    return find(id).orElseThrow();
  }

  /** Queues a task inside the caller's transaction (with the record it belongs to); its id. */
  public static String enqueue(
      Handle h, String name, String description, JsonNode arguments, String by) {
    String id = "ServerTasks-" + UUID.randomUUID();
    h.createUpdate(
            "INSERT INTO server_tasks (id, name, description, arguments, state, created_by,"
                + " queued_at) VALUES (:id, :name, :description, :arguments, :state, :by, :now)")
        .bind("id", id)
        .bind("name", name)
        .bind("description", description)
        .bind("arguments", arguments.toString())
        .bind("state", TaskState.Queued.name())
        .bind("by", by)
        .bind("now", Instant.now())
        .execute();
    return id;
  }

  public Optional<ServerTask> find(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM server_tasks WHERE id = :id")
                .bind("id", id)
                .map(TASK)
                .findOne());
  }

  public List<ServerTask> latest(int skip, int take) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM server_tasks ORDER BY queued_at DESC LIMIT :take OFFSET :skip")
                .bind("take", take)
                .bind("skip", skip)
                .map(TASK)
                .list());
  }

  /** The most recently queued task of this kind, if any. */
  public Optional<ServerTask> latestOf(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM server_tasks WHERE name = :name ORDER BY queued_at DESC LIMIT 1")
                .bind("name", name)
                .map(TASK)
                .findOne());
  }

  /** Whether a task of this kind is queued or executing. */
  public boolean hasUnfinished(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                        "SELECT COUNT(*) FROM server_tasks WHERE name = :name AND state IN (:queued,"
                            + " :executing)")
                    .bind("name", name)
                    .bind("queued", TaskState.Queued.name())
                    .bind("executing", TaskState.Executing.name())
                    .mapTo(Integer.class)
                    .one()
                > 0);
  }

  public int count() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM server_tasks").mapTo(Integer.class).one());
  }

  public List<String> queuedIds(int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id FROM server_tasks WHERE state = :state ORDER BY queued_at LIMIT"
                        + " :limit")
                .bind("state", TaskState.Queued.name())
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
  }

  /** True when this node won the task; false when another node (or a cancel) got there first. */
  public boolean claim(String id, String node) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE server_tasks SET state = :executing, claimed_by = :node,"
                            + " started_at = :now WHERE id = :id AND state = :queued")
                    .bind("executing", TaskState.Executing.name())
                    .bind("queued", TaskState.Queued.name())
                    .bind("node", node)
                    .bind("now", Instant.now())
                    .bind("id", id)
                    .execute())
        == 1;
  }

  public void finish(String id, TaskState state, String errorMessage) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE server_tasks SET state = :state, completed_at = :now, error_message ="
                        + " :error WHERE id = :id")
                .bind("state", state.name())
                .bind("now", Instant.now())
                .bind("error", errorMessage)
                .bind("id", id)
                .execute());
  }

  /** Cancels a task that has not started; returns false if it already left the queue. */
  public boolean cancelQueued(String id) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE server_tasks SET state = :cancelled, completed_at = :now WHERE id"
                            + " = :id AND state = :queued")
                    .bind("cancelled", TaskState.Cancelled.name())
                    .bind("queued", TaskState.Queued.name())
                    .bind("now", Instant.now())
                    .bind("id", id)
                    .execute())
        == 1;
  }

  /**
   * Asks the node running an executing task to stop it. Returns false if the task is not executing
   * (it finished meanwhile, or is still queued: use {@link #cancelQueued}).
   */
  public boolean requestCancel(String id) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE server_tasks SET cancel_requested = TRUE WHERE id = :id AND state"
                            + " = :executing")
                    .bind("executing", TaskState.Executing.name())
                    .bind("id", id)
                    .execute())
        == 1;
  }

  /** Executing tasks of this node that someone asked to cancel. */
  public List<String> cancelRequested(String node) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id FROM server_tasks WHERE claimed_by = :node AND state = :executing"
                        + " AND cancel_requested = TRUE")
                .bind("node", node)
                .bind("executing", TaskState.Executing.name())
                .mapTo(String.class)
                .list());
  }

  /** Tasks a stopped node left executing are failed at start-up, never silently re-run. */
  public int failAbandoned(String node) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    "UPDATE server_tasks SET state = :failed, completed_at = :now, error_message"
                        + " = :error WHERE state = :executing AND claimed_by = :node")
                .bind("failed", TaskState.Failed.name())
                .bind("executing", TaskState.Executing.name())
                .bind("node", node)
                .bind("now", Instant.now())
                .bind(
                    "error",
                    "The server node running this task stopped before it finished. Run it again.")
                .execute());
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored task arguments are not JSON", e);
    }
  }

  private static Instant instant(java.sql.Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
