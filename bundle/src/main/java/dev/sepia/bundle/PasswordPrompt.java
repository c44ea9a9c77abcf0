package dev.sepia.bundle;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Gets the bundle password: from {@value #ENVIRONMENT_VARIABLE} when it is set (automation), else
 * from the terminal without echo, else the first line of standard input (so it can be piped).
 */
final class PasswordPrompt {

  static final String ENVIRONMENT_VARIABLE = "SEPIA_BUNDLE_PASSWORD";
  private static final String PROMPT = "Bundle password: ";

  private PasswordPrompt() {}

  /** The password, or null when none was given (no variable, and end of input at once). */
  static char[] read(Map<String, String> environment, InputStream in, PrintStream err)
      throws IOException {
    String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null) {
      return fromEnvironment.toCharArray();
    }
    Console console = System.console();
    if (console != null && isTerminal(console)) {
      return console.readPassword(PROMPT);
    }
    err.print(PROMPT);
    err.flush();
    char[] line = firstLine(in);
    err.println();
    return line;
  }

  // From Java 22 on, System.console() exists even when input is piped; Console.isTerminal() tells
  // the two apart. On Java 21 that method is missing and a console means a terminal.
  private static boolean isTerminal(Console console) {
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Bytes up to the first newline (without it or a CR before it); null at immediate end. */
  private static char[] firstLine(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b = in.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0 && b != '\n') {
      bytes.write(b);
      b = in.read();
    }
    byte[] raw = bytes.toByteArray();
    int length = raw.length;
    if (length > 0 && raw[length - 1] == '\r') {
      length--;
    }
    CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw, 0, length));
    char[] chars = new char[decoded.remaining()];
    decoded.get(chars);
    // Best effort: the stream's own buffers are out of reach.
    Arrays.fill(raw, (byte) 0);
    Arrays.fill(decoded.array(), '\0');
    return chars;
  }
}
