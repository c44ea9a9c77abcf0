package dev.sepia.server.web.api;

import dev.sepia.server.model.recovery.ClearedValue;
import dev.sepia.server.model.recovery.ClearedValueStore;
import dev.sepia.server.model.recovery.RecoveryRun;
import dev.sepia.server.users.Role;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/recovery: what a recovery after a lost master key ({@code sepia-server lost-master-key})
 * left to do, for Viewers and up. Read-only: a value leaves the list when it is set again through
 * its own resource (variables, process, account, certificate, target).
 */
public final class RecoveryApi implements ApiModule {
  private final ClearedValueStore store;

  public RecoveryApi(Jdbi jdbi) {
    this.store = new ClearedValueStore(jdbi);
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/recovery/cleared-values", this::clearedValues);
    app.get("/api/recovery/runs", this::runs);
  }

  private void clearedValues(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    String kind = ctx.queryParam("kind");
    ClearedValueStore.Page page =
        store.toReEnter(kind == null || kind.isBlank() ? null : kind, paging.skip(), paging.take());
    Map<String, Object> body =
        PagedResponse.of(
            page.items().stream().map(RecoveryApi::describe).toList(), page.totalResults(), paging);
    body.put("countsByKind", page.countsByKind());
    ctx.json(body);
  }

  private void runs(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    List<RecoveryRun> all = store.runs();
    List<Map<String, Object>> items =
        all.stream().skip(paging.skip()).limit(paging.take()).map(RecoveryApi::describe).toList();
    ctx.json(PagedResponse.of(items, all.size(), paging));
  }

  static Map<String, Object> describe(ClearedValue v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", v.id());
    out.put("kind", v.kind());
    out.put("owner", v.owner());
    out.put("link", v.link());
    out.put("clearedAt", text(v.clearedAt()));
    out.put("recoveryId", v.recoveryId());
    return out;
  }

  static Map<String, Object> describe(RecoveryRun r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("startedAt", text(r.startedAt()));
    out.put("completedAt", text(r.completedAt()));
    out.put("startedBy", r.startedBy());
    out.put("newThumbprint", r.newThumbprint());
    out.put("clearedCount", r.clearedCount());
    out.put("reportPath", r.reportPath());
    return out;
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
