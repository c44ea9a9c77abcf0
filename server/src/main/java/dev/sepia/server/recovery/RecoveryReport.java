package dev.sepia.server.recovery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sepia.server.reports.ReportFiles;
import dev.sepia.server.store.catalogue.EncryptedField;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The report of a recovery, written to {@code <home>/Reports/lost-master-key-<UTC time>.md} and
 * {@code .json}: the new thumbprint and the commands that make Tentacles trust it, every cleared
 * value with its owner and where to enter it again, and the next steps. It holds no secret. Values
 * are streamed from the database page by page, so a million of them need no more memory than ten.
 */
public final class RecoveryReport {
  private final Recoveries recoveries;

  RecoveryReport(Recoveries recoveries) {
    this.recoveries = recoveries;
  }

  /** What the report says, apart from the cleared values themselves. */
  public record Facts(
      String recoveryId,
      String instance,
      Instant completedAt,
      String newKeyId,
      String thumbprint,
      String previousThumbprint,
      boolean certificateReplaced,
      long clearedCount,
      Map<EncryptedField, Long> clearedPerField,
      List<String> tentacles) {}

  /** The commands to run on every Tentacle machine. */
  public static List<String> tentacleCommands(String thumbprint) {
    return List.of(
        "sepia-tentacle service --stop",
        "sepia-tentacle configure --reset-trust --trust=\"" + thumbprint + "\"",
        "sepia-tentacle service --start");
  }

  /** The steps after a recovery, in order. */
  public static List<String> nextSteps(String instance, String thumbprint) {
    return List.of(
        "Start the server: sepia-server service --start --instance " + instance,
        "On every Tentacle machine, trust the new server certificate "
            + thumbprint
            + " (commands above), then run a health check on your infrastructure.",
        "Enter every cleared value again, at the link given for it; then create new releases of"
            + " the projects whose releases lost values.",
        "Back up the new master key somewhere other than this machine: sepia-server show-master-key"
            + " --instance "
            + instance,
        "Back up the server certificate: sepia-server export-certificate --instance "
            + instance
            + " --export-pfx <file> --pfx-password <password>",
        "Take a fresh backup of the database, and test that it restores with the new key.");
  }

  ReportFiles write(Path home, Facts facts) {
    return ReportFiles.write(
        home,
        "lost-master-key",
        facts.completedAt(),
        "recovery",
        file -> writeMarkdown(file, facts),
        file -> writeJson(file, facts));
  }

  private void writeMarkdown(Path file, Facts facts) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ReportFiles.line(w, "# Recovery after a lost master key");
      ReportFiles.line(w, "");
      ReportFiles.line(w, "- Instance: " + facts.instance());
      ReportFiles.line(w, "- Recovery: " + facts.recoveryId());
      ReportFiles.line(w, "- Completed: " + facts.completedAt());
      ReportFiles.line(w, "- New master key id: " + facts.newKeyId());
      ReportFiles.line(w, "- Cleared values: " + facts.clearedCount());
      ReportFiles.line(w, "");
      ReportFiles.line(w, "## Server certificate");
      ReportFiles.line(w, "");
      if (facts.certificateReplaced()) {
        ReportFiles.line(
            w,
            "A new server certificate was issued. New thumbprint: **"
                + facts.thumbprint()
                + "**"
                + (facts.previousThumbprint() == null
                    ? ""
                    : " (previous: " + facts.previousThumbprint() + ")")
                + ".");
      } else {
        ReportFiles.line(
            w, "The server certificate was kept. Thumbprint: **" + facts.thumbprint() + "**.");
      }
      ReportFiles.line(w, "");
      ReportFiles.line(w, "## Restore trust with your Tentacles");
      ReportFiles.line(w, "");
      ReportFiles.line(w, "Run on every machine with a Tentacle:");
      ReportFiles.line(w, "");
      ReportFiles.line(w, "```");
      for (String command : tentacleCommands(facts.thumbprint())) {
        ReportFiles.line(w, command);
      }
      ReportFiles.line(w, "```");
      ReportFiles.line(w, "");
      if (!facts.tentacles().isEmpty()) {
        ReportFiles.line(
            w,
            "Tentacle targets registered on this server: " + String.join(", ", facts.tentacles()));
        ReportFiles.line(w, "");
      }
      ReportFiles.line(w, "## Cleared values");
      ReportFiles.line(w, "");
      ReportFiles.line(
          w,
          "These values were sealed with the lost master key and can never be read again. They"
              + " are empty now; enter each one again where its link points.");
      ReportFiles.line(w, "");
      ReportFiles.line(w, "| What | Cleared |");
      ReportFiles.line(w, "|---|---|");
      facts
          .clearedPerField()
          .forEach(
              (field, n) -> {
                if (field.whenKeyLost() == EncryptedField.WhenKeyLost.CLEAR) {
                  ReportFiles.line(
                      w, "| " + field.ownerKind() + ": " + field.description() + " | " + n + " |");
                }
              });
      ReportFiles.line(w, "");
      for (Map.Entry<EncryptedField, Long> entry : facts.clearedPerField().entrySet()) {
        if (entry.getValue() == 0) {
          continue;
        }
        EncryptedField field = entry.getKey();
        ReportFiles.line(
            w,
            "### "
                + field.ownerKind()
                + ": "
                + field.description()
                + " ("
                + entry.getValue()
                + ")");
        ReportFiles.line(w, "");
        recoveries.forEachCleared(
            facts.recoveryId(),
            field,
            c ->
                ReportFiles.line(
                    w,
                    "- "
                        + c.ownerLabel()
                        + (c.link() == null
                            ? ""
                            : (field.isFrozenCopy()
                                    ? " — create a new release at "
                                    : " — re-enter at ")
                                + c.link())
                        + " (`"
                        + c.table()
                        + "."
                        + c.column()
                        + "` row "
                        + c.rowId()
                        + ")"));
        ReportFiles.line(w, "");
      }
      ReportFiles.line(w, "## Next steps");
      ReportFiles.line(w, "");
      int n = 1;
      for (String step : nextSteps(facts.instance(), facts.thumbprint())) {
        ReportFiles.line(w, (n++) + ". " + step);
      }
    }
  }

  private void writeJson(Path file, Facts facts) throws IOException {
    try (OutputStream stream = Files.newOutputStream(file);
        JsonGenerator g = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("recoveryId", facts.recoveryId());
      g.writeStringField("instance", facts.instance());
      g.writeStringField("completedAt", facts.completedAt().toString());
      g.writeStringField("newMasterKeyId", facts.newKeyId());
      g.writeObjectFieldStart("serverCertificate");
      g.writeStringField("thumbprint", facts.thumbprint());
      g.writeStringField("previousThumbprint", facts.previousThumbprint());
      g.writeBooleanField("replaced", facts.certificateReplaced());
      g.writeEndObject();
      g.writeArrayFieldStart("tentacleCommands");
      for (String command : tentacleCommands(facts.thumbprint())) {
        g.writeString(command);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("tentacles");
      for (String name : facts.tentacles()) {
        g.writeString(name);
      }
      g.writeEndArray();
      g.writeNumberField("clearedCount", facts.clearedCount());
      g.writeArrayFieldStart("clearedByKind");
      for (Map.Entry<EncryptedField, Long> entry : facts.clearedPerField().entrySet()) {
        if (entry.getKey().whenKeyLost() != EncryptedField.WhenKeyLost.CLEAR) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("kind", entry.getKey().ownerKind());
        g.writeStringField("description", entry.getKey().description());
        g.writeStringField("table", entry.getKey().table());
        g.writeStringField("column", entry.getKey().column());
        g.writeNumberField("count", entry.getValue());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("clearedValues");
      for (EncryptedField field : facts.clearedPerField().keySet()) {
        recoveries.forEachCleared(
            facts.recoveryId(),
            field,
            c -> {
              try {
                g.writeStartObject();
                g.writeStringField("kind", c.ownerKind());
                g.writeStringField("label", c.ownerLabel());
                g.writeStringField("table", c.table());
                g.writeStringField("column", c.column());
                g.writeStringField("rowId", c.rowId());
                g.writeStringField("link", c.link());
                g.writeEndObject();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      }
      g.writeEndArray();
      g.writeArrayFieldStart("nextSteps");
      for (String step : nextSteps(facts.instance(), facts.thumbprint())) {
        g.writeString(step);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }
}
