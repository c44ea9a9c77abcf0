package dev.sepia.comms.contract;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks shared by the records, run when a record is made, so a bad value from the wire is refused
 * before any handler sees it.
 */
final class ContractChecks {

  private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private ContractChecks() {}

  /** A ticket names a workspace folder: the spec's characters, and not "." or "..". */
  static String ticket(String ticket) {
    if (ticket == null || !TICKET.matcher(ticket).matches() || ticket.matches("\\.+")) {
      throw new IllegalArgumentException(
          "A script ticket is 1 to 100 of A-Z a-z 0-9 . _ - (and not only dots), not '"
              + ticket
              + "'");
    }
    return ticket;
  }

  /** A path relative to the Tentacle's files folder that cannot leave it. */
  static String relativePath(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("A file path is required");
    }
    boolean absolute =
        path.startsWith("/")
            || path.startsWith("\\")
            || (path.length() >= 2 && path.charAt(1) == ':');
    if (absolute) {
      throw new IllegalArgumentException(
          "A file path is relative to the Tentacle's files folder, not absolute: '" + path + "'");
    }
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("A file path cannot contain a NUL character");
    }
    for (String segment : path.split("[/\\\\]")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("A file path cannot contain '..': '" + path + "'");
      }
    }
    return path;
  }

  /** SHA-256 as 64 hex digits, returned in lower case. */
  static String sha256(String hex) {
    String lower = hex == null ? "" : hex.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(lower).matches()) {
      throw new IllegalArgumentException("A SHA-256 is 64 hexadecimal digits, not '" + hex + "'");
    }
    return lower;
  }

  static long length(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("A file length cannot be negative: " + length);
    }
    return length;
  }
}
