package dev.sepia.bundle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Immutable, order-keeping copies of name-to-value maps, and their redacted form for toString. */
final class Maps {

  private Maps() {}

  static Map<String, String> copy(Map<String, String> map, String what) {
    Objects.requireNonNull(map, what);
    Map<String, String> copy = new LinkedHashMap<>();
    map.forEach(
        (name, value) -> {
          if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " has an entry without a name");
          }
          copy.put(
              name, Objects.requireNonNull(value, () -> what + " '" + name + "' has no value"));
        });
    return Collections.unmodifiableMap(copy);
  }

  /** The names with every value shown as {@code <masked>}. */
  static String masked(Map<String, String> map) {
    StringBuilder out = new StringBuilder("{");
    String separator = "";
    for (String name : map.keySet()) {
      out.append(separator).append(name).append("=<masked>");
      separator = ", ";
    }
    return out.append('}').toString();
  }
}
