package dev.sepia.server.web.ui;

import dev.sepia.server.config.PublicUrl;
import dev.sepia.server.model.accounts.Account;
import dev.sepia.server.model.accounts.AccountKind;
import dev.sepia.server.model.accounts.AccountStore;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * /infrastructure: the targets with their health, and the pages that add a target — a Tentacle
 * (with the exact commands to run on it), an SSH server, or an offline package drop.
 */
public final class InfrastructurePages implements ApiModule {
  private final Pages pages;
  private final int pollingPort;

  /**
   * @param pollingPort the port polling Tentacles connect to, for the commands shown to operators
   */
  public InfrastructurePages(Pages pages, int pollingPort) {
    this.pages = pages;
    this.pollingPort = pollingPort;
  }

  /**
   * What the add-tentacle page fills into the commands it shows. {@code guessedUrl} is true when no
   * public URL is configured and the address the browser used stands in for it.
   */
  public record TentacleCommands(
      String serverUrl,
      boolean guessedUrl,
      String thumbprint,
      int pollingPort,
      String environment) {}

  @Override
  public void register(Javalin app) {
    app.get("/infrastructure", this::list);
    app.get("/infrastructure/add-tentacle", this::addTentacle);
    app.get("/infrastructure/add-ssh", this::addSsh);
    app.get("/infrastructure/add-offline-drop", this::addOfflineDrop);
  }

  private void list(Context ctx) {
    List<TargetView> targets =
        new MachineStore(pages.jdbi()).all().stream().map(TargetView::new).toList();
    pages.render(
        ctx,
        "infrastructure.jte",
        pages.frame(ctx, "Infrastructure", "infrastructure"),
        Map.of("targets", targets));
  }

  private void addTentacle(Context ctx) {
    List<Environment> environments = new EnvironmentStore(pages.jdbi()).listAll();
    String environment = environments.isEmpty() ? "Production" : environments.get(0).name();
    Optional<String> configured = PublicUrl.read(pages.jdbi());
    TentacleCommands commands =
        new TentacleCommands(
            configured.orElseGet(() -> serverUrl(ctx)),
            configured.isEmpty(),
            pages.info().thumbprint(),
            pollingPort,
            shellWord(environment));
    pages.render(
        ctx,
        "add-tentacle.jte",
        pages.frame(ctx, "Add a Tentacle", "infrastructure"),
        Map.of("commands", commands, "environments", environments));
  }

  private void addSsh(Context ctx) {
    List<Account> accounts =
        new AccountStore(pages.jdbi())
            .page(null, 0, 1000).items().stream()
                .filter(
                    a ->
                        a.kind() == AccountKind.UsernamePassword
                            || a.kind() == AccountKind.SshKeyPair)
                .toList();
    pages.render(
        ctx,
        "target-new-ssh.jte",
        pages.frame(ctx, "Add an SSH target", "infrastructure"),
        Map.of("environments", new EnvironmentStore(pages.jdbi()).listAll(), "accounts", accounts));
  }

  private void addOfflineDrop(Context ctx) {
    pages.render(
        ctx,
        "target-new-drop.jte",
        pages.frame(ctx, "Add an offline package drop", "infrastructure"),
        Map.of("environments", new EnvironmentStore(pages.jdbi()).listAll()));
  }

  /** This server's web address as the browser reached it, when no public URL is configured. */
  static String serverUrl(Context ctx) {
    return ctx.scheme() + "://" + ctx.host();
  }

  /** A word safe to paste into a shell command line: quoted when it holds anything unusual. */
  static String shellWord(String text) {
    if (text.matches("[A-Za-z0-9._/:@+-]+")) {
      return text;
    }
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
