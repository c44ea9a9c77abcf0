package dev.sepia.server.cli;

import dev.sepia.crypto.DecryptionFailedException;
import dev.sepia.crypto.KeyShare;
import dev.sepia.crypto.MasterKeyExport;
import dev.sepia.crypto.MasterKeyShares;
import dev.sepia.crypto.PassphraseBox;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.Prompts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where a master key given to set-master-key or database comes from: one of a base64 value, shares
 * (repeated option values, a file with one per line, or a prompt per share), or a file written by
 * export-master-key with its passphrase. Whichever it is, the caller gets one key and puts it
 * through the same checks. Every refusal here changes nothing.
 */
final class MasterKeySource {
  private static final int PROMPT_MISTAKES = 3;

  private final String masterKey;
  private final List<String> shares;
  private final String sharesOption;
  private final Path sharesFile;
  private final Path masterKeyFile;
  private final PassphraseOptions passphrase;
  private SecretPrompt prompt = (what, hint) -> Prompts.readSecret(what, false, hint);

  /** Asks for one secret without echo; tests answer it instead of a terminal. */
  interface SecretPrompt {
    char[] read(String what, String noTerminalHint);
  }

  /**
   * @param shares the values of the shares option ({@code sharesOption}); an empty value means "ask
   *     at the terminal"; null when the option was not given
   */
  MasterKeySource(
      String masterKey,
      List<String> shares,
      String sharesOption,
      Path sharesFile,
      Path masterKeyFile,
      PassphraseOptions passphrase) {
    this.masterKey = masterKey;
    this.shares = shares;
    this.sharesOption = sharesOption;
    this.sharesFile = sharesFile;
    this.masterKeyFile = masterKeyFile;
    this.passphrase = passphrase;
  }

  /** Answers the share prompts with {@code prompt} instead of the terminal (for tests). */
  MasterKeySource withPrompt(SecretPrompt prompt) {
    this.prompt = prompt;
    return this;
  }

  /** Whether any way of giving a key was used. */
  boolean given() {
    return sources() > 0;
  }

  /** How the key was given, for messages: "given with --masterKey". */
  String described() {
    if (shares != null || sharesFile != null) {
      return "recombined from the shares";
    }
    if (masterKeyFile != null) {
      return "read from " + masterKeyFile;
    }
    return "given with --masterKey";
  }

  /** The option names, for "pass one of …" messages. */
  String optionNames() {
    return "--masterKey, " + sharesOption + ", --sharesFile or --masterKeyFile";
  }

  /**
   * The key, or null when none was given.
   *
   * @throws OperatorException (exit 2) for unusable input, (exit 1) for a wrong passphrase
   */
  SymmetricKey resolve(Map<String, String> env, PrintWriter err) {
    if (sources() > 1) {
      throw new OperatorException(
          "Give the master key one way only: " + optionNames() + ". Nothing was changed.", 2);
    }
    if (masterKeyFile == null && passphrase != null && passphrase.given()) {
      throw new OperatorException(
          "--passphraseFile, --passphraseEnv and --passphrase open a file given with"
              + " --masterKeyFile; there is none. Nothing was changed.",
          2);
    }
    if (masterKey != null) {
      return MasterKeyArgument.parse(masterKey);
    }
    if (masterKeyFile != null) {
      return fromExport(env);
    }
    if (sharesFile != null) {
      return join(readSharesFile());
    }
    if (shares != null) {
      return fromShareOptions(err);
    }
    return null;
  }

  private int sources() {
    return (masterKey != null ? 1 : 0)
        + (shares != null ? 1 : 0)
        + (sharesFile != null ? 1 : 0)
        + (masterKeyFile != null ? 1 : 0);
  }

  private SymmetricKey fromShareOptions(PrintWriter err) {
    List<String> given = shares.stream().filter(s -> !s.isBlank()).toList();
    if (!shares.isEmpty() && given.size() == shares.size()) {
      return join(given);
    }
    // The option was given without a value: ask for the shares, one at a time, without echo.
    List<String> lines = new ArrayList<>(given);
    int needed = lines.isEmpty() ? 0 : parse(lines.get(0), 1).threshold();
    int mistakes = 0;
    while (needed == 0 || lines.size() < needed) {
      int number = lines.size() + 1;
      char[] typed =
          prompt.read(
              needed == 0 ? "Share " + number : "Share " + number + " of " + needed,
              "Pass the shares with "
                  + sharesOption
                  + " SHARE (once per share) or --sharesFile FILE (one per line).");
      String line = new String(typed).strip();
      Arrays.fill(typed, '\0');
      try {
        KeyShare share = parse(line, number);
        needed = share.threshold();
        lines.add(line);
      } catch (OperatorException mistyped) {
        if (++mistakes >= PROMPT_MISTAKES) {
          throw mistyped;
        }
        err.println(mistyped.getMessage() + " Enter it again.");
        err.flush();
      }
    }
    return join(lines);
  }

  private static KeyShare parse(String line, int number) {
    try {
      return MasterKeyShares.parse(line, number);
    } catch (IllegalArgumentException e) {
      throw new OperatorException(e.getMessage(), 2);
    }
  }

  private static SymmetricKey join(List<String> lines) {
    try {
      return MasterKeyShares.join(lines);
    } catch (IllegalArgumentException e) {
      throw new OperatorException(e.getMessage() + " Nothing was changed.", 2);
    }
  }

  /**
   * One share per line; blank lines and lines starting with # (show-master-key's header) skipped.
   */
  private List<String> readSharesFile() {
    List<String> lines;
    try {
      lines = Files.readAllLines(sharesFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot read the shares file "
              + sharesFile
              + " ("
              + e.getClass().getSimpleName()
              + "). Nothing was changed.",
          2);
    }
    List<String> shareLines =
        lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    if (shareLines.isEmpty()) {
      throw new OperatorException(
          "The shares file " + sharesFile + " holds no shares (one per line). Nothing was changed.",
          2);
    }
    return shareLines;
  }

  private SymmetricKey fromExport(Map<String, String> env) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(masterKeyFile);
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot read "
              + masterKeyFile
              + " ("
              + e.getClass().getSimpleName()
              + "). Nothing was changed.",
          2);
    }
    String keyId;
    try {
      keyId = MasterKeyExport.keyIdOf(bytes);
    } catch (IllegalArgumentException e) {
      throw new OperatorException(
          masterKeyFile
              + ": "
              + e.getMessage()
              + " Give a file written by sepia-server export-master-key. Nothing was changed.",
          2);
    }
    char[] secret =
        (passphrase == null ? new PassphraseOptions() : passphrase)
            .read(env, "Passphrase of " + masterKeyFile, false, true);
    try {
      return MasterKeyExport.open(bytes, secret);
    } catch (DecryptionFailedException e) {
      throw new OperatorException(
          "The passphrase does not open "
              + masterKeyFile
              + " (master key id "
              + keyId
              + "): "
              + PassphraseBox.FAILURE
              + ". Nothing was changed.");
    } finally {
      Arrays.fill(secret, '\0');
    }
  }
}
