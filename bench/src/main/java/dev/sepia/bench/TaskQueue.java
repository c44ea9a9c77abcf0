package dev.sepia.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's task list, through {@code GET /api/tasks}. The server queues tasks of its own (a
 * health check of each target as it is registered, and every target hourly); a timed run must not
 * share the machine with them, so the benchmark waits for the queue to empty before each run and
 * checks afterwards that nothing else ran beside it.
 */
final class TaskQueue {
  private static final int PAGE = 1000;

  private final BenchServer server;

  TaskQueue(BenchServer server) {
    this.server = server;
  }

  /** Every task the server knows, newest first. */
  List<JsonNode> all() {
    List<JsonNode> tasks = new ArrayList<>();
    for (int skip = 0; ; skip += PAGE) {
      JsonNode page = server.get("/api/tasks?skip=" + skip + "&take=" + PAGE);
      page.path("items").forEach(tasks::add);
      if (skip + PAGE >= page.path("totalResults").asInt()) {
        return tasks;
      }
    }
  }

  /**
   * Waits until no task is queued or executing, up to {@code limit}; returns how many still are.
   */
  long awaitIdle(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      long unfinished = all().stream().filter(t -> !t.path("isCompleted").asBoolean()).count();
      if (unfinished == 0 || System.nanoTime() >= deadline) {
        return unfinished;
      }
      Thread.sleep(100);
    }
  }

  /**
   * Tasks other than {@code id} that were executing at some moment between {@code from} and {@code
   * to}.
   */
  long othersDuring(String id, Instant from, Instant to) {
    return all().stream()
        .filter(t -> !id.equals(t.path("id").asText()))
        .filter(
            t -> {
              Instant started = instant(t.path("startedAt"));
              Instant completed = instant(t.path("completedAt"));
              return started != null
                  && started.isBefore(to)
                  && (completed == null || completed.isAfter(from));
            })
        .count();
  }

  private static Instant instant(JsonNode node) {
    return node.isTextual() ? Instant.parse(node.asText()) : null;
  }
}
