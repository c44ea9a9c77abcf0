package dev.sepia.server.web.api;

import dev.sepia.crypto.Certificates;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.comms.ServerComms;
import dev.sepia.server.engine.health.HealthChecks;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.machines.MachineStore.MachineSpec;
import dev.sepia.server.model.machines.SshSettings;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** /api/machines: deployment targets. Administrators change them; every change is audited. */
public final class MachinesApi implements ApiModule {
  private final Jdbi jdbi;
  private final Barrier barrier;
  private final MachineStore store;
  private final ServerComms comms;
  private final HealthChecks healthChecks;

  public MachinesApi(Jdbi jdbi, Barrier barrier, ServerComms comms, HealthChecks healthChecks) {
    this.jdbi = jdbi;
    this.barrier = barrier;
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
      Boolean force,
      SshRequest ssh,
      OfflineDropRequest offlineDrop) {}

  /** An SSH target's connection. */
  public record SshRequest(
      String host, Integer port, String hostKeyFingerprint, String accountId) {}

  /** An offline drop target's folder and bundle password (write-only; omit to keep it). */
  public record OfflineDropRequest(String folder, String password) {
    @Override
    public String toString() {
      return "OfflineDropRequest[folder=" + folder + ", password=<masked>]";
    }
  }

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
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(MachinesApi::describe).toList(),
            page.totalResults(),
            paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(existing(ctx.pathParam("id"))));
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    MachineRequest request = body(ctx);
    MachineSpec spec = validate(request);
    String dropPassword = dropPassword(request, null);
    boolean force = Boolean.TRUE.equals(request.force());
    String id =
        jdbi.inTransaction(
            h -> {
              Optional<Machine> byName = store.findByName(h, spec.name());
              Optional<Machine> byThumbprint =
                  Optional.ofNullable(spec.thumbprint()).flatMap(t -> store.findByThumbprint(h, t));
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
              requireAccount(h, spec);
              MachineSpec known = withKnownEnvironments(h, spec);
              String machineId;
              if (clash.isPresent()) {
                machineId = clash.get().id();
                MachineStore.update(h, machineId, known);
              } else {
                machineId = MachineStore.insert(h, known);
              }
              sealDropPassword(h, machineId, dropPassword);
              AuditLog.record(
                  h,
                  user.username(),
                  clash.isPresent() ? "MachineReplaced" : "MachineCreated",
                  (clash.isPresent() ? "Replaced target '" : "Added target '")
                      + spec.name()
                      + "' ("
                      + spec.communicationStyle()
                      + (spec.thumbprint() == null ? "" : ", thumbprint " + spec.thumbprint())
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
    MachineRequest request = body(ctx);
    MachineSpec spec = validate(request);
    String dropPassword = dropPassword(request, current);
    jdbi.useTransaction(
        h -> {
          requireAccount(h, spec);
          store
              .findByName(h, spec.name())
              .filter(m -> !m.id().equals(current.id()))
              .ifPresent(
                  m -> {
                    throw new ApiException(
                        409, "A target named '" + m.name() + "' already exists.");
                  });
          Optional.ofNullable(spec.thumbprint())
              .flatMap(t -> store.findByThumbprint(h, t))
              .filter(m -> !m.id().equals(current.id()))
              .ifPresent(
                  m -> {
                    throw new ApiException(
                        409, "Target '" + m.name() + "' already has that thumbprint.");
                  });
          MachineStore.update(h, current.id(), withKnownEnvironments(h, spec));
          sealDropPassword(h, current.id(), dropPassword);
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
    CommunicationStyle style = null;
    try {
      style =
          CommunicationStyle.parse(r.communicationStyle() == null ? "" : r.communicationStyle());
    } catch (IllegalArgumentException e) {
      problems.add("communicationStyle: " + e.getMessage());
    }
    String thumbprint = null;
    if (style == null || style.isTentacle()) {
      thumbprint = thumbprint(r.thumbprint(), problems);
    }
    String uri = null;
    if (style == CommunicationStyle.TentaclePassive) {
      uri = listeningUri(r.uri(), problems);
    }
    SshSettings ssh = style == CommunicationStyle.Ssh ? ssh(r.ssh(), problems) : null;
    String dropFolder =
        style == CommunicationStyle.OfflineDrop ? dropFolder(r.offlineDrop(), problems) : null;
    List<String> environments = names("environments", r.environments(), problems);
    List<String> roles = names("roles", r.roles(), problems);
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The target is not valid.", problems);
    }
    return new MachineSpec(name, thumbprint, style, uri, environments, roles, ssh, dropFolder);
  }

  private static SshSettings ssh(SshRequest ssh, List<String> problems) {
    if (ssh == null) {
      problems.add(
          "ssh: an SSH target needs {\"host\", \"port\", \"hostKeyFingerprint\","
              + " \"accountId\"}");
      return null;
    }
    String host = ssh.host() == null ? "" : ssh.host().trim();
    if (host.isEmpty() || host.length() > 255 || host.contains(" ")) {
      problems.add("ssh.host: required, a host name or address");
    }
    int port = ssh.port() == null ? 22 : ssh.port();
    if (port < 1 || port > 65535) {
      problems.add("ssh.port: must be 1 to 65535");
    }
    String fingerprint = ssh.hostKeyFingerprint() == null ? "" : ssh.hostKeyFingerprint().trim();
    if (!fingerprint.matches("(SHA256:)?[A-Za-z0-9+/]{43}=?")) {
      problems.add(
          "ssh.hostKeyFingerprint: the host key's SHA256 fingerprint as OpenSSH prints it"
              + " (SHA256:…); on the host run: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub");
    } else if (!fingerprint.startsWith("SHA256:")) {
      fingerprint = "SHA256:" + fingerprint;
    }
    if (fingerprint.endsWith("=")) {
      fingerprint = fingerprint.substring(0, fingerprint.length() - 1);
    }
    if (ssh.accountId() == null || ssh.accountId().isBlank()) {
      problems.add("ssh.accountId: the account to sign in with (see /api/accounts)");
    }
    return new SshSettings(host, port, fingerprint, ssh.accountId());
  }

  private static String dropFolder(OfflineDropRequest drop, List<String> problems) {
    String folder = drop == null || drop.folder() == null ? "" : drop.folder().trim();
    if (folder.isEmpty() || !Path.of(folder).isAbsolute()) {
      problems.add(
          "offlineDrop.folder: an absolute path on the server where bundles are written,"
              + " e.g. /var/lib/sepia/drops/web01");
    }
    return folder;
  }

  /** The new bundle password to seal, or null to keep the stored one. */
  private static String dropPassword(MachineRequest r, Machine current) {
    CommunicationStyle style = CommunicationStyle.parse(r.communicationStyle());
    if (style != CommunicationStyle.OfflineDrop) {
      return null;
    }
    String password = r.offlineDrop() == null ? null : r.offlineDrop().password();
    if (password == null && current != null && current.dropPasswordSet()) {
      return null;
    }
    if (password == null || password.length() < 8) {
      throw new ApiException(
          400,
          "The target is not valid.",
          List.of(
              "offlineDrop.password: required, at least 8 characters; the person who runs the"
                  + " bundle types it to open its sensitive values"));
    }
    return password;
  }

  private void sealDropPassword(Handle h, String machineId, String password) {
    if (password != null) {
      MachineStore.setSealedDropPassword(
          h,
          machineId,
          barrier.seal(EncryptedFieldCatalogue.OFFLINE_DROP_PASSWORD, machineId, password));
    }
  }

  /** The spec with each environment spelled as it is defined; an unknown one is refused. */
  private static MachineSpec withKnownEnvironments(Handle h, MachineSpec spec) {
    List<String> names = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String name : spec.environments()) {
      Optional<Environment> environment = EnvironmentStore.findByName(h, name);
      if (environment.isPresent()) {
        names.add(environment.get().name());
      } else {
        problems.add(
            "environments: there is no environment named '"
                + name
                + "'. Create it first (POST /api/environments {\"name\": \""
                + name
                + "\"}), or check the spelling");
      }
    }
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The target is not valid.", problems);
    }
    return new MachineSpec(
        spec.name(),
        spec.thumbprint(),
        spec.communicationStyle(),
        spec.uri(),
        names,
        spec.roles(),
        spec.ssh(),
        spec.dropFolder());
  }

  private static void requireAccount(Handle h, MachineSpec spec) {
    if (spec.ssh() == null) {
      return;
    }
    String kind =
        h.createQuery("SELECT kind FROM accounts WHERE id = :id")
            .bind("id", spec.ssh().accountId())
            .mapTo(String.class)
            .findOne()
            .orElseThrow(
                () ->
                    new ApiException(
                        400,
                        "The target is not valid.",
                        List.of(
                            "ssh.accountId: there is no account with id "
                                + spec.ssh().accountId()
                                + " (see GET /api/accounts)")));
    if (!kind.equals("UsernamePassword") && !kind.equals("SshKeyPair")) {
      throw new ApiException(
          400,
          "The target is not valid.",
          List.of(
              "ssh.accountId: an SSH target signs in with a username/password or SSH key pair"
                  + " account, not a "
                  + kind
                  + " account"));
    }
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
    if (m.ssh() != null) {
      Map<String, Object> ssh = new LinkedHashMap<>();
      ssh.put("host", m.ssh().host());
      ssh.put("port", m.ssh().port());
      ssh.put("hostKeyFingerprint", m.ssh().hostKeyFingerprint());
      ssh.put("accountId", m.ssh().accountId());
      out.put("ssh", ssh);
    }
    if (m.dropFolder() != null) {
      out.put(
          "offlineDrop",
          Map.of("folder", m.dropFolder(), "password", Map.of("isSet", m.dropPasswordSet())));
    }
    return out;
  }
}
