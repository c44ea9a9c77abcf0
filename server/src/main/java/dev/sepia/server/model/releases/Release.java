package dev.sepia.server.model.releases;

import java.time.Instant;

/** A release of a project, with its frozen snapshot. */
public record Release(
    String id,
    String projectId,
    String version,
    String notes,
    ReleaseSnapshot snapshot,
    String createdBy,
    Instant createdAt) {}
