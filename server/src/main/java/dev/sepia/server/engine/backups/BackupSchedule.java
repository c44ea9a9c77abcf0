package dev.sepia.server.engine.backups;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * When scheduled backups run: a standard five-field cron expression ({@code minute hour
 * day-of-month month day-of-week}, or a nickname such as {@code @daily}) in a chosen time zone, the
 * notation operators already use in crontab and Jenkins. Parsing and the calendar arithmetic are
 * cron-utils'.
 */
public final class BackupSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  // crontab's nicknames, which cron-utils' UNIX definition does not accept.
  private static final Map<String, String> NICKNAMES =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private final String expression;
  private final Cron cron;
  private final ExecutionTime times;
  private final ZoneId zone;

  private BackupSchedule(String expression, Cron cron, ZoneId zone) {
    this.expression = expression;
    this.cron = cron;
    this.times = ExecutionTime.forCron(cron);
    this.zone = zone;
  }

  /**
   * Parses a cron expression.
   *
   * @throws IllegalArgumentException with a message naming the expected form
   */
  public static BackupSchedule parse(String expression, ZoneId zone) {
    String trimmed = expression == null ? "" : expression.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(
          "The backup schedule is empty. Give a cron expression such as \"0 2 * * *\" (every day"
              + " at 02:00) or \"@daily\", or \"none\" to turn scheduled backups off.");
    }
    try {
      Cron cron = PARSER.parse(NICKNAMES.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed));
      cron.validate();
      return new BackupSchedule(trimmed, cron, zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\""
              + trimmed
              + "\" is not a cron expression: "
              + e.getMessage()
              + " Use five fields, minute hour day-of-month month day-of-week, for example \"0 2"
              + " * * *\" (every day at 02:00) or \"30 1 * * 0\" (Sundays at 01:30), or a nickname"
              + " such as @daily or @hourly.");
    }
  }

  /**
   * Reads a time zone id such as {@code Europe/Berlin} or {@code UTC}.
   *
   * @throws IllegalArgumentException with a message naming the expected form
   */
  public static ZoneId zone(String id) {
    try {
      return ZoneId.of(id.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "\""
              + id.trim()
              + "\" is not a time zone. Give a region id such as Europe/Berlin,"
              + " America/New_York or UTC (the tz database names).");
    }
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The schedule in words, for people ("at 02:00"). */
  public String describe() {
    return CronDescriptor.instance(Locale.UK).describe(cron);
  }

  /** The first moment of the schedule strictly after {@code after}. */
  public Optional<Instant> nextAfter(Instant after) {
    return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
  }

  /**
   * The latest moment of the schedule at or before {@code now} and after {@code since}: the slot a
   * backup is due for. Slots missed while no server ran collapse into this one, so a server that
   * was down for a week makes one backup when it starts, not seven.
   */
  public Optional<Instant> dueSlot(Instant since, Instant now) {
    Optional<Instant> first = nextAfter(since);
    if (first.isEmpty() || first.get().isAfter(now)) {
      return Optional.empty();
    }
    Instant slot = first.get();
    // lastExecution(now) is strictly before now; a slot exactly at now counts as due too.
    Optional<Instant> latest =
        times
            .lastExecution(ZonedDateTime.ofInstant(now.plusMillis(1), zone))
            .map(ZonedDateTime::toInstant);
    if (latest.isPresent() && latest.get().isAfter(slot)) {
      slot = latest.get();
    }
    return Optional.of(slot);
  }

  @Override
  public String toString() {
    return expression;
  }
}
