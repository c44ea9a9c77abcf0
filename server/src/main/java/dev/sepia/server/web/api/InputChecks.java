package dev.sepia.server.web.api;

import java.util.ArrayList;
import java.util.List;

/** Checks shared by the configuration endpoints; each adds a readable problem and carries on. */
final class InputChecks {
  static final int MAX_NAME = 200;

  private InputChecks() {}

  /** A trimmed, required name of at most 200 characters. */
  static String name(String field, String raw, List<String> problems) {
    String name = raw == null ? "" : raw.trim();
    if (name.isEmpty() || name.length() > MAX_NAME) {
      problems.add(field + ": required, at most " + MAX_NAME + " characters");
    }
    return name;
  }

  /** An optional description: blank becomes null. */
  static String description(String raw) {
    return raw == null || raw.isBlank() ? null : raw.trim();
  }

  /** Distinct, trimmed entries of 1 to 100 characters (target roles and the like). */
  static List<String> labels(String field, List<String> values, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (values == null) {
      return out;
    }
    for (String v : values) {
      if (v == null || v.isBlank() || v.trim().length() > 100) {
        problems.add(field + ": each entry must be 1 to 100 characters");
      } else if (!out.contains(v.trim())) {
        out.add(v.trim());
      }
    }
    return out;
  }

  /** Distinct ids, in order; blank entries are a problem. */
  static List<String> ids(String field, List<String> values, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (values == null) {
      return out;
    }
    for (String v : values) {
      if (v == null || v.isBlank()) {
        problems.add(field + ": ids must not be empty");
      } else if (!out.contains(v.trim())) {
        out.add(v.trim());
      }
    }
    return out;
  }
}
