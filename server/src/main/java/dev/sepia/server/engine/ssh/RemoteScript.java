package dev.sepia.server.engine.ssh;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * The text sent on stdin of {@code bash -s} to run one deployment script.
 *
 * <p>The script is not fed to {@code bash -s} directly: a script that reads stdin (apt, ssh, a
 * {@code read}) would swallow its own remaining lines. Instead a short wrapper writes it into a
 * private temporary file ({@code mktemp}: mode 0600, removed on exit, since the script may hold
 * sensitive values), then runs it with stdin from {@code /dev/null} as a background job of its own:
 * with job control on ({@code set -m}) that job is a process group, so cancelling can signal the
 * script and everything it started. The job first prints its process group id on a marker line,
 * which the runner reads and does not pass on. One channel, one round trip, and only {@code bash}
 * and {@code mktemp} are needed on the target.
 */
final class RemoteScript {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String nonce;
  private final String wrapper;

  private RemoteScript(String nonce, String wrapper) {
    this.nonce = nonce;
    this.wrapper = wrapper;
  }

  static RemoteScript of(String script) {
    // Windows line ends make bash fail in confusing ways ("$'\r': command not found").
    String body = script.replace("\r\n", "\n");
    if (!body.isEmpty() && !body.endsWith("\n")) {
      body += "\n";
    }
    String nonce;
    do {
      byte[] bytes = new byte[16];
      RANDOM.nextBytes(bytes);
      nonce = HexFormat.of().formatHex(bytes);
    } while (body.contains(nonce));
    String delimiter = "SEPIA_SCRIPT_END_" + nonce;
    String wrapper =
        "set -m\n"
            + "sepia_script=$(mktemp \"${TMPDIR:-/tmp}/sepia-script.XXXXXXXXXX\") || exit 125\n"
            + "trap 'rm -f \"$sepia_script\"' EXIT\n"
            + "cat > \"$sepia_script\" <<'"
            + delimiter
            + "'\n"
            + body
            + delimiter
            + "\n"
            + "bash -c 'echo \""
            + marker(nonce)
            + " $$\"; exec bash \"$1\"' sepia-script \"$sepia_script\" </dev/null &\n"
            + "wait $!\n";
    return new RemoteScript(nonce, wrapper);
  }

  private static String marker(String nonce) {
    return "sepia-process-group-" + nonce;
  }

  /** What to send on stdin of {@code bash -s}. */
  String wrapper() {
    return wrapper;
  }

  /** The script's process group id if {@code line} is the marker line, else empty. */
  OptionalLong processGroup(String line) {
    String prefix = marker(nonce) + " ";
    if (!line.startsWith(prefix)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(line.substring(prefix.length()).strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * A command that signals the script's process group; it always exits 0. Runs in the account's
   * login shell, so it uses the one form that dash, bash, zsh and procps kill all take ({@code --}
   * and {@code -s} are not accepted by dash).
   */
  static String killCommand(long processGroup, String signal) {
    return "kill -" + signal + " -" + processGroup + " 2>/dev/null; exit 0";
  }
}
