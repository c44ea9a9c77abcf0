package dev.sepia.variables;

/**
 * Text being parsed or evaluated, and how to speak of it in messages. Constructs inside a sensitive
 * variable's value are never quoted, since they are part of the value.
 */
record Source(String text, String description, String variable, boolean sensitive) {

  private static final int MAX_QUOTED = 60;

  static Source template(String text) {
    return new Source(text, "the template", null, false);
  }

  static Source valueOf(String variable, String text, boolean sensitive) {
    return new Source(
        text,
        "the value of " + (sensitive ? "sensitive " : "") + "variable '" + variable + "'",
        variable,
        sensitive);
  }

  /** "line 2, column 5 of the template" */
  String where(int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return "line " + line + ", column " + column + " of " + description;
  }

  /** The construct in quotes, or a neutral phrase when quoting it would show part of a secret. */
  String quote(String construct) {
    if (sensitive) {
      return "a '#{...}' construct";
    }
    // A '#{' closed many lines later would otherwise quote half the script.
    String shown =
        construct.length() <= MAX_QUOTED
            ? construct
            : construct.substring(0, MAX_QUOTED - 4) + "...}";
    return "'" + shown.replace("\n", "\\n") + "'";
  }
}
