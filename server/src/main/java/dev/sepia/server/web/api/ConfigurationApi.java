package dev.sepia.server.web.api;

import dev.sepia.server.escrow.MasterKeyEscrow;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/configuration/master-key-backup: whether the database's current master key has been escrowed
 * (shown, split into shares or exported on the server, or confirmed here as kept by other means);
 * until it is, the UI shows every administrator a reminder.
 */
public final class ConfigurationApi implements ApiModule {
  /** How a confirmation in the UI or API is recorded. */
  public static final String CONFIRMED =
      "confirmed in the web UI or API as backed up by other means";

  private final Jdbi jdbi;

  public ConfigurationApi(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/configuration/master-key-backup", this::get);
    app.post("/api/configuration/master-key-backup", this::acknowledge);
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(body(new MasterKeyEscrow(jdbi).status()));
  }

  /** Records the current key as escrowed by other means; only for the key in use right now. */
  private void acknowledge(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    MasterKeyEscrow.Status status =
        jdbi.inTransaction(
            h -> {
              String current = MasterKeyEscrow.status(h).currentKeyId();
              MasterKeyEscrow.record(h, current, CONFIRMED, user.username());
              return MasterKeyEscrow.status(h);
            });
    ctx.json(body(status));
  }

  private static Map<String, Object> body(MasterKeyEscrow.Status status) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("escrowed", status.escrowed());
    out.put("currentKeyId", status.currentKeyId());
    MasterKeyEscrow.Escrowed last = status.last().orElse(null);
    out.put("lastEscrowedKeyId", last == null ? null : last.keyId());
    out.put("lastEscrowedAt", last == null ? null : last.at());
    out.put("lastEscrowedHow", last == null ? null : last.how());
    out.put("lastEscrowedBy", last == null ? null : last.by());
    return out;
  }
}
