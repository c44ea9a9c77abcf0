package dev.sepia.comms.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records as JSON, and the values they refuse. */
class ContractRecordsTest {

  private static final String HASH = "ab".repeat(32);

  @Test
  void scriptStatus_travelsAsCamelCaseJson_withIsoTimes() {
    ScriptStatus status =
        new ScriptStatus(
            "deploy-42",
            ScriptState.RUNNING,
            null,
            List.of(new ScriptLogLine(7, Instant.parse("2026-01-02T03:04:05Z"), "stdout", "hi")),
            7);

    JsonNode json = ContractJson.toTree(status);

    assertThat(json.path("lastSequence").asLong()).isEqualTo(7);
    assertThat(json.path("state").asText()).isEqualTo("RUNNING");
    assertThat(json.path("logs").get(0).path("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(ContractJson.fromTree(json, ScriptStatus.class)).isEqualTo(status);
  }

  @Test
  void fieldsANewerServerAdds_areIgnoredByThisTentacle() {
    JsonNode json = ContractJson.toTree(new TicketRequest("t-1"));
    ((ObjectNode) json).put("priority", "high");

    assertThat(ContractJson.fromTree(json, TicketRequest.class).ticket()).isEqualTo("t-1");
  }

  @Test
  void ticketsThatCouldEscapeTheWorkFolder_areRefused() {
    for (String bad : new String[] {"..", ".", "a/b", "", "x".repeat(101), "t 1"}) {
      assertThatThrownBy(() -> new TicketRequest(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new TicketRequest("Deploy_1.2-3").ticket()).isEqualTo("Deploy_1.2-3");
  }

  @Test
  void filePathsThatCouldEscapeTheFilesFolder_areRefused_evenFromTheWire() {
    for (String bad : new String[] {"/etc/passwd", "../x", "a/../../x", "a\\..\\x", "C:\\x", ""}) {
      assertThatThrownBy(() -> new DownloadFileCommand(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    JsonNode fromWire = ContractJson.toTree(Map.of("path", "../../etc/shadow"));
    assertThatThrownBy(() -> ContractJson.fromTree(fromWire, DownloadFileCommand.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot contain '..'");
    assertThat(new UploadFileCommand("packages/app..1.zip", 3, HASH).path())
        .isEqualTo("packages/app..1.zip");
  }

  @Test
  void sha256_isKeptInLowerCase() {
    assertThat(new FileInfo("a", 1, HASH.toUpperCase()).sha256()).isEqualTo(HASH);
    assertThatThrownBy(() -> new FileInfo("a", 1, "abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void startScriptCommand_neverPrintsTheScriptOrItsSecrets() {
    StartScriptCommand command =
        new StartScriptCommand(
            "t-1",
            "echo $DB_PASSWORD",
            "bash",
            Map.of("DB_PASSWORD", "hunter2"),
            List.of("--token=s3cr3t"),
            0);

    assertThat(command.toString())
        .contains("DB_PASSWORD")
        .doesNotContain("hunter2")
        .doesNotContain("s3cr3t")
        .doesNotContain("echo");
  }

  @Test
  void everyMethodName_isListed() {
    assertThat(TentacleMethods.ALL).hasSize(7).doesNotHaveDuplicates();
  }
}
