package dev.sepia.server.engine.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void dailyAtTwo_nextRunIsTheNextTwoOClock() {
    BackupSchedule schedule = BackupSchedule.parse("0 2 * * *", UTC);
    assertThat(schedule.nextAfter(Instant.parse("2026-11-26T17:00:00Z")))
        .contains(Instant.parse("2026-11-27T02:00:00Z"));
    assertThat(schedule.describe()).contains("02:00");
  }

  @Test
  void theScheduleFollowsTheServersTimeZone() {
    BackupSchedule paris = BackupSchedule.parse("0 2 * * *", ZoneId.of("Europe/Paris"));
    assertThat(paris.nextAfter(Instant.parse("2026-11-26T17:00:00Z")))
        .contains(Instant.parse("2026-11-27T01:00:00Z"));
  }

  @Test
  void nicknamesAreAccepted() {
    assertThat(BackupSchedule.parse("@daily", UTC).nextAfter(Instant.parse("2026-11-26T17:00:00Z")))
        .contains(Instant.parse("2026-11-27T00:00:00Z"));
  }

  @Test
  void aMistypedSchedule_isRefusedWithAnExample() {
    assertThatThrownBy(() -> BackupSchedule.parse("every night", UTC))
        .hasMessageContaining("is not a cron expression")
        .hasMessageContaining("0 2 * * *");
    assertThatThrownBy(() -> BackupSchedule.parse("61 2 * * *", UTC))
        .hasMessageContaining("is not a cron expression");
    assertThatThrownBy(() -> BackupSchedule.parse(" ", UTC)).hasMessageContaining("none");
  }

  @Test
  void nothingIsDueBeforeTheFirstSlot() {
    BackupSchedule hourly = BackupSchedule.parse("0 * * * *", UTC);
    assertThat(
            hourly.dueSlot(
                Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2026-11-26T10:59:59Z")))
        .isEmpty();
    assertThat(
            hourly.dueSlot(
                Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2026-11-26T11:00:00Z")))
        .contains(Instant.parse("2026-11-26T11:00:00Z"));
  }

  @Test
  void slotsMissedWhileNoServerRan_collapseIntoTheLatestOne() {
    BackupSchedule hourly = BackupSchedule.parse("0 * * * *", UTC);
    assertThat(
            hourly.dueSlot(
                Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-26T10:30:00Z")))
        .contains(Instant.parse("2026-11-26T10:00:00Z"));
  }

  @Test
  void retentionByCount_keepsTheNewestN() {
    BackupRetention keep2 = BackupRetention.parse("2");
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    List<BackupRetention.Kept> files =
        List.of(
            new BackupRetention.Kept("a", now.minus(Duration.ofDays(3))),
            new BackupRetention.Kept("b", now.minus(Duration.ofDays(1))),
            new BackupRetention.Kept("c", now),
            new BackupRetention.Kept("d", now.minus(Duration.ofDays(2))));
    assertThat(keep2.toDelete(files, now))
        .extracting(BackupRetention.Kept::name)
        .containsExactlyInAnyOrder("a", "d");
  }

  @Test
  void retentionByAge_deletesOlderBackupsButNeverTheNewest() {
    BackupRetention week = BackupRetention.parse("7d");
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    List<BackupRetention.Kept> files =
        List.of(
            new BackupRetention.Kept("old", now.minus(Duration.ofDays(30))),
            new BackupRetention.Kept("older", now.minus(Duration.ofDays(40))),
            new BackupRetention.Kept("recent", now.minus(Duration.ofDays(2))));
    assertThat(week.toDelete(files, now))
        .extracting(BackupRetention.Kept::name)
        .containsExactlyInAnyOrder("old", "older");
    List<BackupRetention.Kept> onlyOld =
        List.of(new BackupRetention.Kept("only", now.minus(Duration.ofDays(30))));
    assertThat(week.toDelete(onlyOld, now)).isEmpty();
  }

  @Test
  void retentionRules_areParsedOrRefusedWithBothForms() {
    assertThat(BackupRetention.parse("14").text()).isEqualTo("14");
    assertThat(BackupRetention.parse("30D").text()).isEqualTo("30d");
    for (String bad : List.of("", "0", "-1", "x", "7w", "d")) {
      assertThatThrownBy(() -> BackupRetention.parse(bad))
          .hasMessageContaining("e.g. 14")
          .hasMessageContaining("30d");
    }
  }
}
