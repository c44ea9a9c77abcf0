package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.model.accounts.Account;
import dev.sepia.server.model.accounts.AccountChange;
import dev.sepia.server.model.accounts.AccountKind;
import dev.sepia.server.model.accounts.AccountRules;
import dev.sepia.server.model.accounts.AccountStore;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.JsonBody;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/accounts: credentials that targets and steps sign in with. Administrators change them,
 * Viewers read them; secrets are write-only (responses say only whether each is set), and every
 * change is audited without them.
 */
public final class AccountsApi implements ApiModule {
  private final Jdbi jdbi;
  private final Barrier barrier;
  private final AccountStore store;

  public AccountsApi(Jdbi jdbi, Barrier barrier) {
    this.jdbi = jdbi;
    this.barrier = barrier;
    this.store = new AccountStore(jdbi);
  }

  /** The request body of POST and PUT; a secret left out (null) keeps the stored one. */
  public record AccountRequest(
      String name,
      String kind,
      String description,
      String username,
      String password,
      String privateKey,
      String passphrase,
      String token) {
    @Override
    public String toString() {
      return "AccountRequest{name=" + name + ", kind=" + kind + ", secrets=<masked>}";
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/accounts", this::list);
    app.get("/api/accounts/{id}", this::get);
    app.post("/api/accounts", this::create);
    app.put("/api/accounts/{id}", this::update);
    app.delete("/api/accounts/{id}", this::delete);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    AccountStore.Page page = store.page(ctx.queryParam("name"), paging.skip(), paging.take());
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(AccountsApi::describe).toList(),
            page.totalResults(),
            paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(existing(ctx.pathParam("id"))));
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    AccountChange change = validate(body(ctx), null);
    String id =
        jdbi.inTransaction(
            h -> {
              refuseDuplicateName(h, change.name(), null);
              String newId = AccountStore.insert(h, barrier, change);
              AuditLog.record(
                  h,
                  user.username(),
                  "AccountCreated",
                  "Added account '" + change.name().trim() + "' (" + change.kind() + ")");
              return newId;
            });
    ctx.status(201).json(describe(existing(id)));
  }

  private void update(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Account current = existing(ctx.pathParam("id"));
    AccountChange change = validate(body(ctx), current);
    jdbi.useTransaction(
        h -> {
          refuseDuplicateName(h, change.name(), current.id());
          AccountStore.update(h, barrier, current.id(), change);
          AuditLog.record(
              h,
              user.username(),
              "AccountUpdated",
              "Updated account '"
                  + change.name().trim()
                  + "' ("
                  + change.kind()
                  + (changedSecrets(change).isEmpty()
                      ? ""
                      : "; replaced " + String.join(", ", changedSecrets(change)))
                  + ")");
        });
    ctx.json(describe(existing(current.id())));
  }

  private void delete(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Account account = existing(ctx.pathParam("id"));
    jdbi.useTransaction(
        h -> {
          List<String> users = AccountStore.machinesUsing(h, account.id());
          if (!users.isEmpty()) {
            throw new ApiException(
                409,
                "Account '"
                    + account.name()
                    + "' is used by "
                    + users.size()
                    + (users.size() == 1 ? " target" : " targets")
                    + ". Give those targets another account first, then delete it.",
                users.stream().map(name -> "target: " + name).toList());
          }
          AccountStore.delete(h, account.id());
          AuditLog.record(
              h, user.username(), "AccountDeleted", "Deleted account '" + account.name() + "'");
        });
    ctx.status(204);
  }

  private Account existing(String id) {
    return store
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no account with id " + id + "."));
  }

  private static void refuseDuplicateName(org.jdbi.v3.core.Handle h, String name, String ownId) {
    AccountStore.findByName(h, name)
        .filter(a -> !a.id().equals(ownId))
        .ifPresent(
            a -> {
              throw new ApiException(
                  409, "An account named '" + a.name() + "' already exists. Choose another name.");
            });
  }

  private static AccountRequest body(Context ctx) {
    return JsonBody.read(
        ctx,
        AccountRequest.class,
        "{\"name\": \"deploy\", \"kind\": \"UsernamePassword|SshKeyPair|Token\", \"description\":"
            + " \"…\", \"username\": \"…\", \"password\": \"…\", \"privateKey\": \"-----BEGIN …\","
            + " \"passphrase\": \"…\", \"token\": \"…\"}");
  }

  private static AccountChange validate(AccountRequest r, Account existing) {
    List<String> problems = new ArrayList<>();
    AccountKind kind = null;
    if (r.kind() != null) {
      try {
        kind = AccountKind.parse(r.kind());
      } catch (IllegalArgumentException e) {
        problems.add("kind: " + e.getMessage());
      }
    }
    AccountChange change =
        new AccountChange(
            r.name(),
            kind,
            r.description(),
            r.username(),
            r.password(),
            r.privateKey(),
            r.passphrase(),
            r.token());
    if (kind != null || r.kind() == null) {
      problems.addAll(AccountRules.problems(change, existing));
    }
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The account is not valid.", problems);
    }
    return change;
  }

  private static List<String> changedSecrets(AccountChange change) {
    List<String> names = new ArrayList<>();
    if (change.password() != null) {
      names.add("password");
    }
    if (change.privateKey() != null) {
      names.add("private key");
    }
    if (change.passphrase() != null) {
      names.add("passphrase");
    }
    if (change.token() != null) {
      names.add("token");
    }
    return names;
  }

  static Map<String, Object> describe(Account a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", a.id());
    out.put("name", a.name());
    out.put("kind", a.kind().name());
    out.put("description", a.description());
    out.put("username", a.username());
    out.put("password", isSet(a.passwordSet()));
    out.put("privateKey", isSet(a.privateKeySet()));
    out.put("passphrase", isSet(a.passphraseSet()));
    out.put("token", isSet(a.tokenSet()));
    return out;
  }

  private static Map<String, Object> isSet(boolean set) {
    return Map.of("isSet", set);
  }
}
