package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/configuration/master-key-backup: whether an administrator has confirmed that the master key
 * is backed up; until then the UI shows every administrator a reminder with the command.
 */
public final class ConfigurationApi implements ApiModule {
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
    Map<String, Object> out = new LinkedHashMap<>();
    String acknowledged =
        new DatabaseMetadata(jdbi)
            .get(DatabaseMetadata.MASTER_KEY_BACKUP_ACKNOWLEDGED)
            .orElse(null);
    out.put("acknowledged", acknowledged != null);
    out.put("acknowledgement", acknowledged);
    ctx.json(out);
  }

  private void acknowledge(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    String value = user.username() + " at " + Instant.now();
    jdbi.useTransaction(
        h -> {
          DatabaseMetadata.put(h, DatabaseMetadata.MASTER_KEY_BACKUP_ACKNOWLEDGED, value);
          AuditLog.record(
              h,
              user.username(),
              "MasterKeyBackupAcknowledged",
              "Confirmed that the master key is backed up");
        });
    get(ctx);
  }
}
