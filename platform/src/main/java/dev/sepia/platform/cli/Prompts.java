package dev.sepia.platform.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;

/**
 * Asks the person at the terminal. Secrets are read without echo and returned as {@code char[]} so
 * the caller can wipe them. Without a terminal (CI, pipes, services) every prompt fails at once
 * with a hint naming the non-interactive way, instead of waiting on input that never comes.
 */
public final class Prompts {

  static final int ATTEMPTS = 3;

  private Prompts() {}

  /**
   * Reads a secret without echo. {@code prompt} is the thing asked for, without a colon (for
   * example {@code "Master key"}); with {@code confirm} it is asked twice and must match. {@code
   * noTerminalHint} tells how to pass the value without a prompt (for example {@code "Pass the key
   * with --masterKeyFile FILE or the SEPIA_MASTER_KEY environment variable."}).
   */
  public static char[] readSecret(String prompt, boolean confirm, String noTerminalHint) {
    return readSecret(terminal(noTerminalHint), prompt, confirm);
  }

  /**
   * Asks a yes/no question; only {@code y} or {@code yes} (any case) is yes. {@code noTerminalHint}
   * names the flag that answers it for automation (for example {@code "Pass --yes to confirm
   * without a prompt."}).
   */
  public static boolean confirm(String question, String noTerminalHint) {
    return confirm(terminal(noTerminalHint), question);
  }

  static char[] readSecret(Terminal terminal, String prompt, boolean confirm) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      char[] first = terminal.readPassword(prompt + ": ");
      if (first == null) {
        throw endOfInput();
      }
      if (first.length == 0) {
        terminal.println("The value cannot be empty.");
        continue;
      }
      if (!confirm) {
        return first;
      }
      char[] second = terminal.readPassword(prompt + " (again): ");
      if (second == null) {
        Arrays.fill(first, '\0');
        throw endOfInput();
      }
      boolean same = Arrays.equals(first, second);
      Arrays.fill(second, '\0');
      if (same) {
        return first;
      }
      Arrays.fill(first, '\0');
      terminal.println("The two entries did not match.");
    }
    throw new OperatorException(
        "No value was accepted after " + ATTEMPTS + " attempts. Nothing was changed.");
  }

  static boolean confirm(Terminal terminal, String question) {
    String answer = terminal.readLine(question + " [y/N] ");
    if (answer == null) {
      return false;
    }
    String normalised = answer.trim().toLowerCase(Locale.ROOT);
    return normalised.equals("y") || normalised.equals("yes");
  }

  private static OperatorException endOfInput() {
    return new OperatorException("No value was entered (the input ended). Nothing was changed.");
  }

  private static Terminal terminal(String noTerminalHint) {
    Console console = System.console();
    if (console == null || !isTerminal(console)) {
      throw new OperatorException("No terminal to prompt on. " + noTerminalHint);
    }
    return new ConsoleTerminal(console);
  }

  // From JDK 22 System.console() may return a Console even when input is redirected; only
  // Console.isTerminal() (JDK 22+, absent from the Java 21 API we compile against) tells.
  private static boolean isTerminal(Console console) {
    try {
      Method method = Console.class.getMethod("isTerminal");
      return (Boolean) method.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 21: a non-null console is a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** The few terminal operations prompts need, so tests can answer them. */
  interface Terminal {
    /** Returns null at end of input. */
    char[] readPassword(String prompt);

    /** Returns null at end of input. */
    String readLine(String prompt);

    void println(String line);
  }

  private record ConsoleTerminal(Console console) implements Terminal {
    @Override
    public char[] readPassword(String prompt) {
      return console.readPassword("%s", prompt);
    }

    @Override
    public String readLine(String prompt) {
      return console.readLine("%s", prompt);
    }

    @Override
    public void println(String line) {
      console.printf("%s%n", line);
      console.flush();
    }
  }
}
