package dev.sepia.variables;

import java.util.Locale;

/**
 * The rule for variable names: one or more letters, digits, {@code .}, {@code _} or {@code -}.
 * Names are compared case-insensitively everywhere.
 */
public final class VariableNames {

  /** The rule in words, for error messages. */
  public static final String RULE = "letters, digits, '.', '_' and '-' only";

  private VariableNames() {}

  /** Whether {@code name} follows the rule. */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code name}, or throws an IllegalArgumentException that says what is wrong. */
  public static String requireValid(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a valid variable name: use " + RULE + ", at least one character");
    }
    return name;
  }

  static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-';
  }

  /** The key names are compared by. */
  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
