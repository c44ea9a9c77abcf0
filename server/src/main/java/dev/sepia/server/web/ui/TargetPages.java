package dev.sepia.server.web.ui;

import dev.sepia.server.model.accounts.Account;
import dev.sepia.server.model.accounts.AccountKind;
import dev.sepia.server.model.accounts.AccountStore;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** /infrastructure/targets/{id}: one target's health and details, to check, change or delete. */
public final class TargetPages implements ApiModule {
  private final Pages pages;

  public TargetPages(Pages pages) {
    this.pages = pages;
  }

  @Override
  public void register(Javalin app) {
    app.get("/infrastructure/targets/{id}", this::show);
  }

  private void show(Context ctx) {
    Machine machine = new MachineStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    if (machine == null) {
      pages.notFound(ctx, "There is no such target.", "/infrastructure", "Infrastructure");
      return;
    }
    List<Account> accounts =
        new AccountStore(pages.jdbi())
            .page(null, 0, 1000).items().stream()
                .filter(
                    a ->
                        a.kind() == AccountKind.UsernamePassword
                            || a.kind() == AccountKind.SshKeyPair)
                .toList();
    String accountName =
        machine.ssh() == null
            ? null
            : accounts.stream()
                .filter(a -> a.id().equals(machine.ssh().accountId()))
                .map(Account::name)
                .findFirst()
                .orElse(machine.ssh().accountId());
    pages.render(
        ctx,
        "target.jte",
        pages.frame(ctx, machine.name(), "infrastructure"),
        Map.of(
            "target",
            new TargetView(machine),
            "environments",
            new EnvironmentStore(pages.jdbi()).listAll(),
            "accounts",
            accounts,
            "accountName",
            accountName == null ? "" : accountName,
            "checkBody",
            "{\"name\":\"Health\",\"arguments\":{\"machineIds\":[\"" + machine.id() + "\"]}}"));
  }
}
