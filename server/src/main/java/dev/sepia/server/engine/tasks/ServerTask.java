package dev.sepia.server.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A server task as stored. */
public record ServerTask(
    String id,
    String name,
    String description,
    JsonNode arguments,
    TaskState state,
    String createdBy,
    Instant queuedAt,
    Instant startedAt,
    Instant completedAt,
    String claimedBy,
    String errorMessage) {}
