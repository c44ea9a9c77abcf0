package dev.sepia.server.reports;

import dev.sepia.platform.cli.OperatorException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A destructive command's report: {@code <home>/Reports/<command>-<UTC time>.md} for people and
 * {@code .json} for tools. Both are written before the command records that it finished, so a
 * report that cannot be written stops the command with a way to finish it.
 */
public record ReportFiles(Path markdown, Path json) {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Writes a line of a report, for writers that cannot throw checked exceptions. */
  public static void line(BufferedWriter w, String text) {
    try {
      w.write(text);
      w.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one of the two files. */
  public interface Writer {
    void write(Path file) throws IOException;
  }

  /**
   * Writes both files.
   *
   * @param command the command's name, which starts the file names ("lost-master-key")
   * @param operation what the command does, for the error ("recovery", "rotation")
   * @throws OperatorException naming the folder, if either file cannot be written
   */
  public static ReportFiles write(
      Path home,
      String command,
      Instant completedAt,
      String operation,
      Writer markdown,
      Writer json) {
    Path folder = home.resolve("Reports");
    String stem = command + "-" + FILE_TIME.format(completedAt);
    Path markdownFile = folder.resolve(stem + ".md");
    Path jsonFile = folder.resolve(stem + ".json");
    try {
      Files.createDirectories(folder);
      markdown.write(markdownFile);
      json.write(jsonFile);
    } catch (IOException | UncheckedIOException e) {
      throw new OperatorException(
          "The "
              + operation
              + " report could not be written to "
              + folder
              + ": "
              + e.getMessage()
              + ". Make the folder writable and run the same command again to finish the "
              + operation
              + ".");
    }
    return new ReportFiles(markdownFile.toAbsolutePath(), jsonFile.toAbsolutePath());
  }
}
