package dev.sepia.server.web.ui;

import dev.sepia.server.model.accounts.Account;
import dev.sepia.server.model.accounts.AccountKind;
import dev.sepia.server.model.accounts.AccountStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/**
 * /infrastructure/accounts: credentials targets and steps sign in with. Secrets are write-only: a
 * page says whether each is set and offers an empty field to replace it, never the value.
 */
public final class AccountPages implements ApiModule {
  private final Pages pages;

  public AccountPages(Pages pages) {
    this.pages = pages;
  }

  /** The fields a kind of account has, and how the pages name it. */
  public record KindView(AccountKind kind) {
    public String text() {
      return switch (kind) {
        case UsernamePassword -> "Username and password";
        case SshKeyPair -> "SSH key pair";
        case Token -> "Token";
      };
    }

    public boolean hasUsername() {
      return kind != AccountKind.Token;
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/infrastructure/accounts", this::list);
    app.get("/infrastructure/accounts/new", this::create);
    app.get("/infrastructure/accounts/{id}", this::show);
  }

  private void list(Context ctx) {
    pages.render(
        ctx,
        "accounts.jte",
        pages.frame(ctx, "Accounts", "infrastructure"),
        Map.of("accounts", new AccountStore(pages.jdbi()).page(null, 0, 1000).items()));
  }

  private void create(Context ctx) {
    AccountKind kind;
    try {
      kind = AccountKind.parse(ctx.queryParam("kind"));
    } catch (IllegalArgumentException e) {
      kind = AccountKind.UsernamePassword;
    }
    KindView view = new KindView(kind);
    pages.render(
        ctx,
        "account.jte",
        pages.frame(ctx, "Add an account: " + view.text(), "infrastructure"),
        Map.of("kind", view, "account", java.util.Optional.empty()));
  }

  private void show(Context ctx) {
    Account account = new AccountStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    if (account == null) {
      pages.notFound(ctx, "There is no such account.", "/infrastructure/accounts", "Accounts");
      return;
    }
    pages.render(
        ctx,
        "account.jte",
        pages.frame(ctx, account.name(), "infrastructure"),
        Map.of("kind", new KindView(account.kind()), "account", java.util.Optional.of(account)));
  }
}
