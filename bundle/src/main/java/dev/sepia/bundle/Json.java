package dev.sepia.bundle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON this module needs, without a library: the runner must work from a handful of
 * jars. Values are {@code Map<String, Object>} (insertion order kept), {@code List<Object>}, {@code
 * String}, {@code Long} (integers only), {@code Boolean} and {@code null}. The reader is strict:
 * one value, nothing after it, no duplicate keys, no fractions or exponents.
 */
final class Json {

  private Json() {}

  /** Pretty-printed JSON of {@code value}, two spaces per level, ending in a newline. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.append('\n').toString();
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the position and what was expected
   */
  static Object read(String text) {
    Reader reader = new Reader(text);
    reader.skipWhitespace();
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (reader.position < text.length()) {
      throw reader.error("end of the document");
    }
    return value;
  }

  private static void write(Object value, StringBuilder out, int depth) {
    switch (value) {
      case null -> out.append("null");
      case String text -> string(text, out);
      case Boolean bool -> out.append(bool);
      case Integer number -> out.append(number);
      case Long number -> out.append(number);
      case Map<?, ?> map -> object(map, out, depth);
      case List<?> list -> array(list, out, depth);
      default ->
          throw new IllegalArgumentException(
              "Cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  private static void object(Map<?, ?> map, StringBuilder out, int depth) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    String separator = "\n";
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new IllegalArgumentException("JSON object keys must be strings");
      }
      out.append(separator);
      indent(out, depth + 1);
      string(key, out);
      out.append(": ");
      write(entry.getValue(), out, depth + 1);
      separator = ",\n";
    }
    out.append('\n');
    indent(out, depth);
    out.append('}');
  }

  private static void array(List<?> list, StringBuilder out, int depth) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    String separator = "\n";
    for (Object item : list) {
      out.append(separator);
      indent(out, depth + 1);
      write(item, out, depth + 1);
      separator = ",\n";
    }
    out.append('\n');
    indent(out, depth);
    out.append(']');
  }

  private static void indent(StringBuilder out, int depth) {
    out.append("  ".repeat(depth));
  }

  private static void string(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Control characters, and the two line separators some viewers break lines at.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static final class Reader {

    // Deep enough for any bundle, shallow enough that a hostile file cannot overflow the stack.
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int position;

    Reader(String text) {
      this.text = text;
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("at most " + MAX_DEPTH + " levels of nesting");
      }
      if (position >= text.length()) {
        throw error("a value");
      }
      char c = text.charAt(position);
      return switch (c) {
        case '{' -> object(depth);
        case '[' -> array(depth);
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          throw error("a value");
        }
      };
    }

    private Map<String, Object> object(int depth) {
      position++; // {
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (peek('}')) {
        position++;
        return Collections.unmodifiableMap(map);
      }
      while (true) {
        skipWhitespace();
        if (!peek('"')) {
          throw error("a quoted key");
        }
        int keyPosition = position;
        String key = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        Object value = value(depth + 1);
        if (map.containsKey(key)) {
          position = keyPosition;
          throw error("no repeated key (\"" + key + "\" appears twice)");
        }
        map.put(key, value);
        skipWhitespace();
        if (peek(',')) {
          position++;
        } else {
          expect('}');
          return Collections.unmodifiableMap(map);
        }
      }
    }

    private List<Object> array(int depth) {
      position++; // [
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (peek(']')) {
        position++;
        return Collections.unmodifiableList(list);
      }
      while (true) {
        skipWhitespace();
        list.add(value(depth + 1));
        skipWhitespace();
        if (peek(',')) {
          position++;
        } else {
          expect(']');
          return Collections.unmodifiableList(list);
        }
      }
    }

    private String string() {
      position++; // "
      StringBuilder out = new StringBuilder();
      while (true) {
        if (position >= text.length()) {
          throw error("a closing quote");
        }
        char c = text.charAt(position++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          position--;
          throw error("no raw control character inside a string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (position >= text.length()) {
          throw error("an escape character");
        }
        char escape = text.charAt(position++);
        switch (escape) {
          case '"' -> out.append('"');
          case '\\' -> out.append('\\');
          case '/' -> out.append('/');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> out.append(unicodeEscape());
          default -> {
            position--;
            throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
          }
        }
      }
    }

    private char unicodeEscape() {
      if (position + 4 > text.length()) {
        throw error("four hex digits");
      }
      int value = 0;
      for (int i = 0; i < 4; i++) {
        int digit = Character.digit(text.charAt(position), 16);
        if (digit < 0) {
          throw error("four hex digits");
        }
        value = value * 16 + digit;
        position++;
      }
      return (char) value;
    }

    private Long number() {
      int start = position;
      if (peek('-')) {
        position++;
      }
      int digitsStart = position;
      while (position < text.length()
          && Character.isDigit(text.charAt(position))
          && text.charAt(position) < 128) {
        position++;
      }
      int digits = position - digitsStart;
      if (digits == 0 || (digits > 1 && text.charAt(digitsStart) == '0')) {
        position = start;
        throw error("an integer");
      }
      if (position < text.length() && ".eE".indexOf(text.charAt(position)) >= 0) {
        throw error("an integer (no fractions or exponents here)");
      }
      try {
        return Long.parseLong(text.substring(start, position));
      } catch (NumberFormatException e) {
        position = start;
        throw error("an integer that fits in 64 bits");
      }
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, position)) {
        throw error("a value");
      }
      position += word.length();
      return value;
    }

    void skipWhitespace() {
      while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
        position++;
      }
    }

    private boolean peek(char c) {
      return position < text.length() && text.charAt(position) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw error("'" + c + "'");
      }
      position++;
    }

    IllegalArgumentException error(String expected) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < position && i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      return new IllegalArgumentException(
          "Not valid JSON at line " + line + ", column " + column + ": expected " + expected);
    }
  }
}
