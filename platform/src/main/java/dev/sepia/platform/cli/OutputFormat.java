package dev.sepia.platform.cli;

/**
 * How a command prints data: {@code --format text} (for people) or {@code --format json} (for
 * scripts). Accepted in any case because {@link CliRunner#execute} turns on picocli's
 * case-insensitive enum values; a {@code CommandLine} run without {@code CliRunner} must call
 * {@code setCaseInsensitiveEnumValuesAllowed(true)} itself.
 */
public enum OutputFormat {
  TEXT,
  JSON
}
