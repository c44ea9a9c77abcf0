package dev.sepia.server.model.projects;

import java.util.Arrays;
import java.util.Locale;

/** What a deployment step does. */
public enum StepKind {
  RunScript("Run a script");

  private final String displayName;

  StepKind(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /** Accepts the name ("RunScript") or the display name ("Run a script"), in any case. */
  public static StepKind parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (StepKind kind : values()) {
      if (kind.name().toLowerCase(Locale.ROOT).equals(wanted)
          || kind.displayName.toLowerCase(Locale.ROOT).equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a step kind; the kinds are: " + Arrays.toString(values()));
  }
}
