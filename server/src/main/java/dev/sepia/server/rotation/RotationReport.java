package dev.sepia.server.rotation;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sepia.server.reports.ReportFiles;
import dev.sepia.server.store.catalogue.EncryptedField;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The report of a master key rotation, in the form of the lost-master-key report: {@code
 * <home>/Reports/rotate-master-key-<UTC time>.md} and {@code .json}, with the key ids (never a
 * key), the server certificate kept, the values under the new key per catalogued field, and the
 * next steps.
 */
public final class RotationReport {
  private RotationReport() {}

  /** What the report says. */
  public record Facts(
      String rotationId,
      String instance,
      Instant completedAt,
      String oldKeyId,
      String newKeyId,
      String thumbprint,
      long reEncrypted,
      Map<EncryptedField, Long> valuesPerField,
      List<String> runningNodes) {}

  /** The steps after a rotation, in order. */
  public static List<String> nextSteps(String instance, String oldKeyId, String thumbprint) {
    return List.of(
        "Escrow the new master key now, away from this machine; the old key no longer opens this"
            + " database: sepia-server show-master-key --instance "
            + instance
            + " (or export-master-key --instance "
            + instance
            + " --file <file>).",
        "A server node that was stopped during the rotation must be handed the new key before it"
            + " starts: sepia-server set-master-key --instance <its instance> --masterKey <new"
            + " key>.",
        "Backups taken before this rotation open only with the OLD master key (id "
            + oldKeyId
            + "): keep it escrowed for as long as you keep those backups.",
        "Take a fresh backup of the database and verify it restores with the new key.",
        "Tentacles need nothing: the server certificate"
            + (thumbprint == null ? "" : " (thumbprint " + thumbprint + ")")
            + " was kept.");
  }

  static ReportFiles write(Path home, Facts facts) {
    return ReportFiles.write(
        home,
        "rotate-master-key",
        facts.completedAt(),
        "rotation",
        file -> writeMarkdown(file, facts),
        file -> writeJson(file, facts));
  }

  private static void writeMarkdown(Path file, Facts facts) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ReportFiles.line(w, "# Master key rotation");
      ReportFiles.line(w, "");
      ReportFiles.line(w, "- Instance: " + facts.instance());
      ReportFiles.line(w, "- Rotation: " + facts.rotationId());
      ReportFiles.line(w, "- Completed: " + facts.completedAt());
      ReportFiles.line(w, "- Master key id: " + facts.oldKeyId() + " → " + facts.newKeyId());
      ReportFiles.line(w, "- Re-encrypted values: " + facts.reEncrypted());
      ReportFiles.line(w, "");
      ReportFiles.line(w, "## Server certificate");
      ReportFiles.line(w, "");
      if (facts.thumbprint() == null) {
        ReportFiles.line(w, "This database has no server certificate.");
      } else {
        ReportFiles.line(
            w,
            "The server certificate was kept (its private key is now sealed with the new key)."
                + " Thumbprint: **"
                + facts.thumbprint()
                + "**. Tentacles keep trusting the server; nothing to do on them.");
      }
      ReportFiles.line(w, "");
      ReportFiles.line(w, "## Values under the new key");
      ReportFiles.line(w, "");
      ReportFiles.line(
          w, "Every stored sensitive value now names key id " + facts.newKeyId() + ".");
      ReportFiles.line(w, "");
      ReportFiles.line(w, "| What | Values |");
      ReportFiles.line(w, "|---|---|");
      facts
          .valuesPerField()
          .forEach(
              (field, n) ->
                  ReportFiles.line(
                      w, "| " + field.ownerKind() + ": " + field.description() + " | " + n + " |"));
      ReportFiles.line(w, "");
      if (!facts.runningNodes().isEmpty()) {
        ReportFiles.line(
            w,
            "Server nodes running during the rotation (each took the new key without a restart): "
                + String.join(", ", facts.runningNodes()));
        ReportFiles.line(w, "");
      }
      ReportFiles.line(w, "## Next steps");
      ReportFiles.line(w, "");
      int n = 1;
      for (String step : nextSteps(facts.instance(), facts.oldKeyId(), facts.thumbprint())) {
        ReportFiles.line(w, (n++) + ". " + step);
      }
    }
  }

  private static void writeJson(Path file, Facts facts) throws IOException {
    try (OutputStream stream = Files.newOutputStream(file);
        JsonGenerator g = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("rotationId", facts.rotationId());
      g.writeStringField("instance", facts.instance());
      g.writeStringField("completedAt", facts.completedAt().toString());
      g.writeStringField("oldMasterKeyId", facts.oldKeyId());
      g.writeStringField("newMasterKeyId", facts.newKeyId());
      g.writeObjectFieldStart("serverCertificate");
      g.writeStringField("thumbprint", facts.thumbprint());
      g.writeBooleanField("replaced", false);
      g.writeEndObject();
      g.writeNumberField("reEncryptedCount", facts.reEncrypted());
      g.writeArrayFieldStart("valuesByKind");
      for (Map.Entry<EncryptedField, Long> entry : facts.valuesPerField().entrySet()) {
        g.writeStartObject();
        g.writeStringField("kind", entry.getKey().ownerKind());
        g.writeStringField("description", entry.getKey().description());
        g.writeStringField("table", entry.getKey().table());
        g.writeStringField("column", entry.getKey().column());
        g.writeNumberField("count", entry.getValue());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("runningNodes");
      for (String node : facts.runningNodes()) {
        g.writeString(node);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("nextSteps");
      for (String step : nextSteps(facts.instance(), facts.oldKeyId(), facts.thumbprint())) {
        g.writeString(step);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }
}
