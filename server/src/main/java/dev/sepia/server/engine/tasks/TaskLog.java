package dev.sepia.server.engine.tasks;

import dev.sepia.variables.LogMasker;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;

/**
 * A task's log, one file per task under {@code <home>/TaskLogs}. Lines are written as they happen,
 * so a reader sees a running task's progress. Every line passes through the log's masker, so once a
 * task has declared its sensitive values ({@link #addSecrets}) none of them can reach the file.
 */
public final class TaskLog implements AutoCloseable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final BufferedWriter writer;
  private volatile LogMasker masker = new LogMasker(List.of());

  private TaskLog(BufferedWriter writer) {
    this.writer = writer;
  }

  public static Path folder(Path home) {
    return home.resolve("TaskLogs");
  }

  public static Path file(Path home, String taskId) {
    return folder(home).resolve(taskId + ".log");
  }

  public static TaskLog open(Path home, String taskId) {
    try {
      Files.createDirectories(folder(home));
      return new TaskLog(
          Files.newBufferedWriter(
              file(home, taskId),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the task log under " + folder(home), e);
    }
  }

  /** Masks these values (as {@link LogMasker#MASK}) in every line written from now on. */
  public synchronized void addSecrets(Collection<String> secrets) {
    masker = masker.with(secrets);
  }

  /** The masker this log applies, for text that leaves the task by another way. */
  public LogMasker masker() {
    return masker;
  }

  public synchronized void info(String message) {
    write("INFO ", message);
  }

  public synchronized void warn(String message) {
    write("WARN ", message);
  }

  public synchronized void error(String message) {
    write("ERROR", message);
  }

  private void write(String level, String message) {
    try {
      for (String line : message.split("\n", -1)) {
        writer.write(TIME.format(Instant.now()) + "  " + level + "  " + masker.mask(line));
        writer.newLine();
      }
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
