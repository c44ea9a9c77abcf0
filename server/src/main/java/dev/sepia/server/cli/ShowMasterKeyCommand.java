package dev.sepia.server.cli;

import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.KeyShare;
import dev.sepia.crypto.MasterKeyShares;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.server.config.ServerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "show-master-key",
    description = {
      "Prints the master key so that it can be backed up (text: the bare base64 key).",
      "Keep it somewhere other than this machine: without it, the database's sensitive values and"
          + " the server certificate cannot be read on any other machine.",
      "With --shares N --threshold K the key is printed as N shares instead, any K of which give"
          + " it back (and fewer tell nothing): give each share to a different person.",
      "Works from the config alone, even when the database is down; when the database can be"
          + " reached, it records that the current key is backed up, which ends the server's"
          + " reminder."
    })
final class ShowMasterKeyCommand extends InstanceCommand {
  @Option(names = "--format", defaultValue = "text", description = "text or json.")
  OutputFormat format;

  @Option(
      names = "--shares",
      paramLabel = "N",
      description =
          "Split the key into N shares (2 to 255), one per person, instead of printing it whole."
              + " Needs --threshold.")
  Integer shares;

  @Option(
      names = "--threshold",
      paramLabel = "K",
      description =
          "How many of the shares recombine the key (2 to N). Fewer than K reveal nothing; keep K"
              + " below N so that a lost share or an absent holder does not lose the key.")
  Integer threshold;

  @Override
  public Integer call() throws Exception {
    if ((shares == null) != (threshold == null)) {
      throw new OperatorException(
          "--shares N and --threshold K go together, e.g. --shares 5 --threshold 3.", 2);
    }
    ServerConfig config = config();
    SymmetricKey key = masterKeyOf(config);
    String how;
    if (shares == null) {
      printWhole(key);
      how = "printed in full by show-master-key";
    } else {
      printShares(key, split(key));
      how =
          "split into "
              + shares
              + " shares (any "
              + threshold
              + " recombine it) by show-master-key";
    }
    out().flush();
    EscrowRecording.record(config, key, how, err());
    return 0;
  }

  private List<KeyShare> split(SymmetricKey key) {
    try {
      return MasterKeyShares.split(key, shares, threshold);
    } catch (IllegalArgumentException e) {
      throw new OperatorException(e.getMessage(), 2);
    }
  }

  private void printWhole(SymmetricKey key) throws Exception {
    String base64 = InsecureKeyAccess.toBase64(key);
    if (format == OutputFormat.JSON) {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("masterKey", base64);
      body.put("keyId", key.keyId());
      out().println(Json.mapper().writeValueAsString(body));
    } else {
      out().println(base64);
    }
  }

  private void printShares(SymmetricKey key, List<KeyShare> split) throws Exception {
    List<String> lines = split.stream().map(KeyShare::toLine).toList();
    if (format == OutputFormat.JSON) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("keyId", key.keyId());
      body.put("shares", shares);
      body.put("threshold", threshold);
      body.put("lines", lines);
      out().println(Json.mapper().writeValueAsString(body));
      return;
    }
    // The header starts with #, so the whole output is also a valid --sharesFile.
    out()
        .println(
            "# Master key "
                + key.keyId()
                + " in "
                + shares
                + " shares; any "
                + threshold
                + " recombine it. Give each share to a different person, and keep no two in the"
                + " same place.");
    lines.forEach(out()::println);
  }
}
