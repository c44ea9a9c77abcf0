package dev.sepia.server.web.api;

import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskLog;
import dev.sepia.server.engine.tasks.TaskStore;
import io.javalin.http.sse.SseClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Follows a task's log file for a server-sent-events client: sends the lines after the one the
 * client last saw, then new ones as they are written, until the task has finished and every line is
 * out. Only whole lines are sent, so a line being written is never split.
 */
final class TaskLogFollower {
  private static final long POLL_MILLIS = 250;

  private final TaskStore store;
  private final Path file;
  private final String taskId;
  private long sentLines;
  private long readLines;
  private long readBytes;

  TaskLogFollower(TaskStore store, Path home, String taskId, long afterLine) {
    this.store = store;
    this.file = TaskLog.file(home, taskId);
    this.taskId = taskId;
    this.sentLines = afterLine;
  }

  void follow(SseClient client) {
    try {
      while (!client.terminated()) {
        // Read the state before the file: lines written before the task finished are then
        // surely in the file when we read it.
        ServerTask task = store.find(taskId).orElse(null);
        sendNewLines(client);
        if (task == null || task.state().isFinished()) {
          Map<String, String> state = new LinkedHashMap<>();
          state.put("state", task == null ? "Deleted" : task.state().name());
          state.put(
              "errorMessage",
              task == null || task.errorMessage() == null ? "" : task.errorMessage());
          state.put("startedAt", instant(task == null ? null : task.startedAt()));
          state.put("completedAt", instant(task == null ? null : task.completedAt()));
          client.sendEvent("state", state, null);
          return;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.close();
    }
  }

  private static String instant(Instant instant) {
    return instant == null ? "" : instant.toString();
  }

  private void sendNewLines(SseClient client) {
    if (!Files.exists(file)) {
      return;
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      in.skipNBytes(Math.min(readBytes, Files.size(file)));
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      long consumed = readBytes;
      int b;
      while ((b = in.read()) != -1) {
        consumed++;
        if (b != '\n') {
          line.write(b);
          continue;
        }
        readLines++;
        readBytes = consumed;
        if (readLines > sentLines) {
          client.sendEvent("line", line.toString(StandardCharsets.UTF_8), Long.toString(readLines));
          sentLines = readLines;
        }
        line.reset();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
