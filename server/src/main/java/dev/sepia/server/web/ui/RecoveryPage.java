package dev.sepia.server.web.ui;

import dev.sepia.server.model.machines.Connectivity;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.recovery.ClearedValue;
import dev.sepia.server.model.recovery.ClearedValueStore;
import dev.sepia.server.model.recovery.RecoveryRun;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * /recovery: what is left to do after a recovery from a lost master key ({@code sepia-server
 * lost-master-key}): the latest run, the commands that make each Tentacle trust the new
 * certificate, the targets that still refuse it, and the sensitive values to enter again. On a
 * healthy server it only explains. /recovery/notice is the dashboard's notice, empty unless values
 * are left to re-enter.
 */
public final class RecoveryPage implements ApiModule {
  private final Pages pages;

  public RecoveryPage(Pages pages) {
    this.pages = pages;
  }

  /** What the page shows; {@code latest} is null when the server was never recovered. */
  public record View(
      RecoveryRun latest,
      String thumbprint,
      List<TargetView> refusing,
      Map<String, List<ClearedValue>> toReEnter,
      int toReEnterCount) {

    /** The commands to run on every Tentacle, one a line. */
    public String tentacleCommands() {
      return RecoveryPage.tentacleCommands(thumbprint);
    }

    public String startedText() {
      return WhenText.of(latest.startedAt());
    }

    public String completedText() {
      return latest.completedAt() == null ? null : WhenText.of(latest.completedAt());
    }

    /** The thumbprint the latest run made, or "—" when it has none (it did not get that far). */
    public String newThumbprintText() {
      return latest.newThumbprint() == null ? "—" : latest.newThumbprint();
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/recovery", this::show);
    app.get("/recovery/notice", this::notice);
  }

  static String tentacleCommands(String thumbprint) {
    return "sepia-tentacle service --stop\n"
        + "sepia-tentacle configure --reset-trust --trust=\""
        + thumbprint
        + "\"\n"
        + "sepia-tentacle service --start";
  }

  private void show(Context ctx) {
    ClearedValueStore store = new ClearedValueStore(pages.jdbi());
    RecoveryRun latest = store.latest().orElse(null);
    Map<String, List<ClearedValue>> toReEnter = store.toReEnterByKind();
    List<TargetView> refusing =
        new MachineStore(pages.jdbi())
            .all().stream()
                .filter(m -> m.connectivity() == Connectivity.RefusesServerCertificate)
                .sorted(Comparator.comparing(Machine::name))
                .map(TargetView::new)
                .toList();
    int count = toReEnter.values().stream().mapToInt(List::size).sum();
    View view = new View(latest, pages.info().thumbprint(), refusing, toReEnter, count);
    pages.render(
        ctx,
        "recovery.jte",
        pages.frame(ctx, "Values to re-enter", "configuration"),
        Map.of("view", view));
  }

  /** The dashboard's notice: a short fragment when values are left to re-enter, else nothing. */
  private void notice(Context ctx) {
    int count = new ClearedValueStore(pages.jdbi()).countToReEnter();
    if (count == 0) {
      ctx.html("");
      return;
    }
    pages.renderBare(ctx, "recovery-notice-content.jte", Map.of("count", count));
  }
}
