package dev.sepia.variables;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The filters a reference can pipe its value through: {@code #{Name | ToLower | Base64}}. */
enum Filter {
  TO_LOWER("ToLower", text -> text.toLowerCase(Locale.ROOT)),
  TO_UPPER("ToUpper", text -> text.toUpperCase(Locale.ROOT)),
  BASE64(
      "Base64", text -> Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))),
  JSON_ESCAPE("JsonEscape", Filter::jsonEscape);

  private final String displayName;
  private final UnaryOperator<String> function;

  Filter(String displayName, UnaryOperator<String> function) {
    this.displayName = displayName;
    this.function = function;
  }

  String displayName() {
    return displayName;
  }

  String apply(String text) {
    return function.apply(text);
  }

  /** The filter with this name, compared case-insensitively. */
  static Optional<Filter> named(String name) {
    return Arrays.stream(values()).filter(f -> f.displayName.equalsIgnoreCase(name)).findFirst();
  }

  /** "Base64, JsonEscape, ToLower, ToUpper" */
  static String knownNames() {
    return Arrays.stream(values())
        .map(Filter::displayName)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  /** Escapes text to sit between the quotes of a JSON string. */
  private static String jsonEscape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
