package dev.sepia.server.web.ui;

import dev.sepia.server.engine.backups.BackupStatus;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/** /configuration/backups: the schedule, retention, folder, next run and last result. */
public final class BackupsPage implements ApiModule {
  private final Pages pages;
  private final Path home;
  private final ZoneId zone;
  private final Clock clock;

  public BackupsPage(Pages pages, Path home, ZoneId zone, Clock clock) {
    this.pages = pages;
    this.home = home;
    this.zone = zone;
    this.clock = clock;
  }

  /** The status with its moments in words. */
  public record BackupsView(BackupStatus status) {
    public String nextRunAt() {
      return WhenText.of(status.nextRunAt());
    }

    public String lastStartedAt() {
      return status.last().map(t -> WhenText.of(t.startedAt())).orElse("—");
    }

    public String lastCompletedAt() {
      return status.last().map(t -> WhenText.of(t.completedAt())).orElse("—");
    }

    public String lastSuccessFile() {
      return status.lastSuccess() == null ? null : status.lastSuccess().path("file").asText();
    }

    public String lastSuccessSize() {
      if (status.lastSuccess() == null) {
        return null;
      }
      long bytes = status.lastSuccess().path("bytes").asLong();
      return bytes >= 1024 * 1024
          ? String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0))
          : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    public String lastSuccessSha256() {
      return status.lastSuccess() == null ? null : status.lastSuccess().path("sha256").asText();
    }

    public String lastSuccessAt() {
      return status.lastSuccess() == null
          ? "—"
          : WhenText.of(Instant.parse(status.lastSuccess().path("completedAt").asText()));
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/configuration/backups", this::show);
  }

  private void show(Context ctx) {
    PageFrame frame = pages.frame(ctx, "Backups", "configuration");
    if (!frame.administrator()) {
      pages.notFound(
          ctx, "Only administrators can see backups.", "/configuration", "Configuration");
      return;
    }
    BackupStatus status = BackupStatus.read(pages.jdbi(), home, zone, clock.instant());
    pages.render(
        ctx,
        "backups.jte",
        frame,
        Map.of("view", new BackupsView(status), "instance", pages.info().instance()));
  }
}
