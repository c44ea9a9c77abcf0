package dev.sepia.server.model.deployments;

import dev.sepia.server.engine.tasks.TaskState;
import java.time.Instant;

/** A deployment of a release to an environment; it runs as the server task {@code taskId}. */
public record Deployment(
    String id,
    String releaseId,
    String projectId,
    String environmentId,
    String taskId,
    TaskState state,
    String createdBy,
    Instant createdAt) {}
