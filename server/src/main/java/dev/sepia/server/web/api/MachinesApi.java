package dev.sepia.server.web.api;

import dev.sepia.crypto.Certificates;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.comms.ServerComms;
import dev.sepia.server.engine.health.HealthChecks;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.machines.MachineStore.MachineSpec;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.JsonBody;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** /api/machines: deployment targets. Administrators change them; every change is audited. */
public final class MachinesApi implements ApiModule {
  private final Jdbi jdbi;
  private final MachineStore store;
  private final ServerComms comms;
  private final HealthChecks healthChecks;

  public MachinesApi(Jdbi jdbi, ServerComms comms, HealthChecks healthChecks) {
    this.jdbi = jdbi;
    this.store = new MachineStore(jdbi);
    this.comms = comms;
    this.healthChecks = healthChecks;
  }

  /** The request body of POST and PUT. */
  public record MachineRequest(
      String name,
      String thumbprint,
      String communicationStyle,
      String uri,
      List<String> environments,
      List<String> roles,
      Boolean force) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/machines", this::list);
    app.get("/api/machines/{id}", this::get);
    app.post("/api/machines", this::create);
    app.put("/api/machines/{id}", this::update);
    app.delete("/api/machines/{id}", this::deleteById);
    app.delete("/api/machines", this::deleteByThumbprint);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    MachineStore.Page page = store.list(ctx.queryParam("name"), paging.skip(), paging.take());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items().stream().map(MachinesApi::describe).toList());
    body.put("totalResults", page.totalResults());
    body.put("skip", paging.skip());
    body.put("take", paging.take());
    ctx.json(body);
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(existing(ctx.pathParam("id"))));
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    MachineRequest request = body(ctx);
    MachineSpec spec = validate(request);
    boolean force = Boolean.TRUE.equals(request.force());
    String id =
        jdbi.inTransaction(
            h -> {
              Optional<Machine> byName = store.findByName(h, spec.name());
              Optional<Machine> byThumbprint = store.findByThumbprint(h, spec.thumbprint());
              Optional<Machine> clash = byName.or(() -> byThumbprint);
              if (clash.isPresent() && !force) {
                throw new ApiException(
                    409,
                    byName.isPresent()
                        ? "A target named '"
                            + byName.get().name()
                            + "' already exists ("
                            + byName.get().id()
                            + "). Choose another name, or replace it with force (register-with"
                            + " --force)."
                        : "A target with thumbprint "
                            + spec.thumbprint()
                            + " already exists ('"
                            + byThumbprint.get().name()
                            + "'). Replace it with force (register-with --force).");
              }
              if (byName.isPresent()
                  && byThumbprint.isPresent()
                  && !byName.get().id().equals(byThumbprint.get().id())) {
                MachineStore.delete(h, byThumbprint.get().id());
              }
              String machineId;
              if (clash.isPresent()) {
                machineId = clash.get().id();
                MachineStore.update(h, machineId, spec);
              } else {
                machineId = MachineStore.insert(h, spec);
              }
              AuditLog.record(
                  h,
                  user.username(),
                  clash.isPresent() ? "MachineReplaced" : "MachineCreated",
                  (clash.isPresent() ? "Replaced target '" : "Added target '")
                      + spec.name()
                      + "' ("
                      + spec.communicationStyle()
                      + ", thumbprint "
                      + spec.thumbprint()
                      + ")");
              return machineId;
            });
    comms.refreshTrust();
    // Check a new target at once, so its status is known without waiting for the schedule.
    healthChecks.queue(List.of(id), user.username());
    ctx.status(201).json(describe(existing(id)));
  }

  private void update(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Machine current = existing(ctx.pathParam("id"));
    MachineSpec spec = validate(body(ctx));
    jdbi.useTransaction(
        h -> {
          store
              .findByName(h, spec.name())
              .filter(m -> !m.id().equals(current.id()))
              .ifPresent(
                  m -> {
                    throw new ApiException(
                        409, "A target named '" + m.name() + "' already exists.");
                  });
          store
              .findByThumbprint(h, spec.thumbprint())
              .filter(m -> !m.id().equals(current.id()))
              .ifPresent(
                  m -> {
                    throw new ApiException(
                        409, "Target '" + m.name() + "' already has that thumbprint.");
                  });
          MachineStore.update(h, current.id(), spec);
          AuditLog.record(
              h, user.username(), "MachineUpdated", "Updated target '" + spec.name() + "'");
        });
    comms.refreshTrust();
    ctx.json(describe(existing(current.id())));
  }

  private void deleteById(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    delete(user, existing(ctx.pathParam("id")));
    ctx.status(204);
  }

  private void deleteByThumbprint(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    String raw = ctx.queryParam("thumbprint");
    if (raw == null) {
      throw new ApiException(400, "Say which target: DELETE /api/machines/{id} or ?thumbprint=…");
    }
    String thumbprint = thumbprint(raw, new ArrayList<>());
    Machine machine =
        jdbi.withHandle(h -> store.findByThumbprint(h, thumbprint))
            .orElseThrow(
                () -> new ApiException(404, "No target has thumbprint " + thumbprint + "."));
    delete(user, machine);
    ctx.status(204);
  }

  private void delete(User user, Machine machine) {
    jdbi.useTransaction(
        h -> {
          MachineStore.delete(h, machine.id());
          AuditLog.record(
              h, user.username(), "MachineDeleted", "Deleted target '" + machine.name() + "'");
        });
    comms.refreshTrust();
  }

  private Machine existing(String id) {
    return store
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no target with id " + id + "."));
  }

  private static MachineRequest body(Context ctx) {
    return JsonBody.read(
        ctx,
        MachineRequest.class,
        "{\"name\": \"web01\", \"thumbprint\": \"…\", \"communicationStyle\":"
            + " \"TentaclePassive\", \"uri\": \"https://web01:10933/\", \"environments\": […],"
            + " \"roles\": […]}");
  }

  static MachineSpec validate(MachineRequest r) {
    List<String> problems = new ArrayList<>();
    String name = r.name() == null ? "" : r.name().trim();
    if (name.isEmpty() || name.length() > 200) {
      problems.add("name: required, at most 200 characters");
    }
    String thumbprint = thumbprint(r.thumbprint(), problems);
    CommunicationStyle style = null;
    try {
      style =
          CommunicationStyle.parse(r.communicationStyle() == null ? "" : r.communicationStyle());
    } catch (IllegalArgumentException e) {
      problems.add("communicationStyle: " + e.getMessage());
    }
    String uri = null;
    if (style == CommunicationStyle.TentaclePassive) {
      uri = listeningUri(r.uri(), problems);
    }
    List<String> environments = names("environments", r.environments(), problems);
    List<String> roles = names("roles", r.roles(), problems);
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The target is not valid.", problems);
    }
    return new MachineSpec(name, thumbprint, style, uri, environments, roles);
  }

  private static String thumbprint(String raw, List<String> problems) {
    try {
      return Certificates.normalizeThumbprint(raw == null ? "" : raw);
    } catch (IllegalArgumentException e) {
      problems.add("thumbprint: " + e.getMessage());
      return null;
    }
  }

  private static String listeningUri(String raw, List<String> problems) {
    if (raw == null || raw.isBlank()) {
      problems.add("uri: a listening Tentacle needs its address, e.g. https://web01:10933/");
      return null;
    }
    try {
      URI uri = URI.create(raw.trim());
      if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        problems.add("uri: must look like https://HOST:PORT/ (Tentacles always use TLS)");
        return null;
      }
      int port = uri.getPort() == -1 ? 10933 : uri.getPort();
      return "https://" + uri.getHost() + ":" + port + "/";
    } catch (IllegalArgumentException e) {
      problems.add("uri: not a valid address");
      return null;
    }
  }

  private static List<String> names(String field, List<String> values, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (values == null) {
      return out;
    }
    for (String v : values) {
      if (v == null || v.isBlank() || v.trim().length() > 100) {
        problems.add(field + ": each entry must be 1 to 100 characters");
      } else if (!out.contains(v.trim())) {
        out.add(v.trim());
      }
    }
    return out;
  }

  static Map<String, Object> describe(Machine m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.id());
    out.put("name", m.name());
    out.put("thumbprint", m.thumbprint());
    out.put("communicationStyle", m.communicationStyle().name());
    out.put("uri", m.uri());
    out.put("environments", m.environments());
    out.put("roles", m.roles());
    out.put("healthStatus", m.healthStatus().name());
    out.put("connectivity", m.connectivity().name());
    out.put("healthReason", m.healthReason());
    out.put("agentVersion", m.agentVersion());
    out.put("healthCheckedAt", m.healthCheckedAt() == null ? null : m.healthCheckedAt().toString());
    return out;
  }
}
