package dev.sepia.server.model.deployments;

import dev.sepia.server.engine.tasks.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Deployments, with the state of the task that runs each. */
public final class DeploymentStore {
  private static final String SELECT =
      "SELECT d.id, d.release_id, d.project_id, d.environment_id, d.task_id, t.state,"
          + " d.created_by, d.created_at FROM deployments d JOIN server_tasks t ON t.id ="
          + " d.task_id";
  private static final RowMapper<Deployment> DEPLOYMENT =
      (rs, ctx) ->
          new Deployment(
              rs.getString("id"),
              rs.getString("release_id"),
              rs.getString("project_id"),
              rs.getString("environment_id"),
              rs.getString("task_id"),
              TaskState.valueOf(rs.getString("state")),
              rs.getString("created_by"),
              rs.getTimestamp("created_at").toInstant());

  private final Jdbi jdbi;

  public DeploymentStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public record Page(List<Deployment> items, int totalResults) {}

  public static String newId() {
    return "Deployments-" + UUID.randomUUID();
  }

  public static void insert(
      Handle h,
      String id,
      String releaseId,
      String projectId,
      String environmentId,
      String taskId,
      String createdBy) {
    h.createUpdate(
            "INSERT INTO deployments (id, release_id, project_id, environment_id, task_id,"
                + " created_by, created_at) VALUES (:id, :release, :project, :environment, :task,"
                + " :by, :now)")
        .bind("id", id)
        .bind("release", releaseId)
        .bind("project", projectId)
        .bind("environment", environmentId)
        .bind("task", taskId)
        .bind("by", createdBy)
        .bind("now", Instant.now())
        .execute();
  }

  public Optional<Deployment> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  public static Optional<Deployment> find(Handle h, String id) {
    return h.createQuery(SELECT + " WHERE d.id = :id").bind("id", id).map(DEPLOYMENT).findOne();
  }

  public Optional<Deployment> findByTask(String taskId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(SELECT + " WHERE d.task_id = :id")
                .bind("id", taskId)
                .map(DEPLOYMENT)
                .findOne());
  }

  /** Environments where this release has been deployed successfully. */
  public static Set<String> succeededEnvironments(Handle h, String releaseId) {
    return new HashSet<>(
        h.createQuery(
                "SELECT DISTINCT d.environment_id FROM deployments d JOIN server_tasks t ON t.id"
                    + " = d.task_id WHERE d.release_id = :r AND t.state = :success")
            .bind("r", releaseId)
            .bind("success", TaskState.Success.name())
            .mapTo(String.class)
            .list());
  }

  /** Newest first, optionally only one project's, release's or environment's. */
  public Page list(String projectId, String releaseId, String environmentId, int skip, int take) {
    List<String> conditions = new ArrayList<>();
    if (projectId != null) {
      conditions.add("d.project_id = :project");
    }
    if (releaseId != null) {
      conditions.add("d.release_id = :release");
    }
    if (environmentId != null) {
      conditions.add("d.environment_id = :environment");
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    return jdbi.withHandle(
        h -> {
          var count =
              h.createQuery(
                  "SELECT COUNT(*) FROM deployments d JOIN server_tasks t ON t.id = d.task_id"
                      + where);
          var query =
              h.createQuery(
                  SELECT + where + " ORDER BY d.created_at DESC, d.id LIMIT :take OFFSET :skip");
          for (var q : List.of(count, query)) {
            if (projectId != null) {
              q.bind("project", projectId);
            }
            if (releaseId != null) {
              q.bind("release", releaseId);
            }
            if (environmentId != null) {
              q.bind("environment", environmentId);
            }
          }
          int total = count.mapTo(Integer.class).one();
          return new Page(
              query.bind("take", take).bind("skip", skip).map(DEPLOYMENT).list(), total);
        });
  }

  /** The newest deployment of each project to each environment (the dashboard's cells). */
  public List<Deployment> latestPerProjectAndEnvironment() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    SELECT
                        + " WHERE d.created_at = (SELECT MAX(x.created_at) FROM deployments x"
                        + " WHERE x.project_id = d.project_id AND x.environment_id ="
                        + " d.environment_id)")
                .map(DEPLOYMENT)
                .list());
  }
}
