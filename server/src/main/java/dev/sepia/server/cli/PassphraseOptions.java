package dev.sepia.server.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.Prompts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a passphrase comes from: a file, an environment variable, or a prompt (entered twice when
 * it protects something new). Automation uses the file or the variable, so the passphrase never
 * shows in a process list or a shell history; {@code --passphrase} with a value exists for
 * experiments and is not what the docs show.
 */
final class PassphraseOptions {
  @Option(
      names = "--passphraseFile",
      paramLabel = "FILE",
      description =
          "Read the passphrase from the first line of FILE (keep it readable by this user only).")
  Path file;

  @Option(
      names = "--passphraseEnv",
      paramLabel = "VARIABLE",
      description = "Read the passphrase from the environment variable VARIABLE.")
  String environmentVariable;

  @Option(
      names = "--passphrase",
      arity = "0..1",
      fallbackValue = "",
      paramLabel = "PASSPHRASE",
      description =
          "Ask for the passphrase at the terminal (without a value). A value given here shows in"
              + " the process list: use --passphraseFile or --passphraseEnv in automation.")
  String inline;

  /** Whether any passphrase option was given. */
  boolean given() {
    return file != null || environmentVariable != null || inline != null;
  }

  /**
   * The passphrase from whichever option was given, or a prompt when {@code promptIfNone}. The
   * caller wipes the returned array. {@code confirm} asks twice at a prompt (for a passphrase that
   * protects something new).
   *
   * @return null when no option was given and {@code promptIfNone} is false
   */
  char[] read(Map<String, String> env, String what, boolean confirm, boolean promptIfNone) {
    int sources =
        (file != null ? 1 : 0) + (environmentVariable != null ? 1 : 0) + (inline != null ? 1 : 0);
    if (sources > 1) {
      throw new OperatorException(
          "Give the passphrase one way only: --passphraseFile, --passphraseEnv or --passphrase.",
          2);
    }
    if (file != null) {
      return fromFile(file);
    }
    if (environmentVariable != null) {
      String value = env.get(environmentVariable);
      if (value == null || value.isEmpty()) {
        throw new OperatorException(
            "The environment variable "
                + environmentVariable
                + " (named by --passphraseEnv) is not set or is empty. Nothing was changed.",
            2);
      }
      return value.toCharArray();
    }
    if (inline != null && !inline.isEmpty()) {
      return inline.toCharArray();
    }
    if (inline == null && !promptIfNone) {
      return null;
    }
    return Prompts.readSecret(
        what,
        confirm,
        "Pass the passphrase with --passphraseFile FILE or --passphraseEnv VARIABLE.");
  }

  private static char[] fromFile(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot read the passphrase file " + file + " (" + e.getClass().getSimpleName() + ").",
          2);
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      int end = 0;
      while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
        end++;
      }
      char[] line = new char[end];
      chars.get(0, line);
      Arrays.fill(chars.array(), '\0');
      if (line.length == 0) {
        throw new OperatorException(
            "The passphrase file " + file + " is empty: put the passphrase on its first line.", 2);
      }
      return line;
    } catch (CharacterCodingException e) {
      throw new OperatorException(
          "The passphrase file " + file + " is not UTF-8 text. Nothing was changed.", 2);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
