package dev.sepia.server.model.machines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.server.store.NamedPages;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Deployment targets in the database. */
public final class MachineStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, name, thumbprint, communication_style, uri, environments, roles, health_status,"
          + " connectivity, health_reason, agent_version, health_checked_at, ssh_host, ssh_port,"
          + " ssh_fingerprint, account_id, drop_folder, drop_password";

  private static final RowMapper<Machine> MACHINE =
      (rs, ctx) ->
          new Machine(
              rs.getString("id"),
              rs.getString("name"),
              rs.getString("thumbprint"),
              CommunicationStyle.valueOf(rs.getString("communication_style")),
              rs.getString("uri"),
              fromJson(rs.getString("environments")),
              fromJson(rs.getString("roles")),
              HealthStatus.valueOf(rs.getString("health_status")),
              Connectivity.valueOf(rs.getString("connectivity")),
              rs.getString("health_reason"),
              rs.getString("agent_version"),
              rs.getTimestamp("health_checked_at") == null
                  ? null
                  : rs.getTimestamp("health_checked_at").toInstant(),
              rs.getString("ssh_host") == null
                  ? null
                  : new SshSettings(
                      rs.getString("ssh_host"),
                      rs.getInt("ssh_port"),
                      rs.getString("ssh_fingerprint"),
                      rs.getString("account_id")),
              rs.getString("drop_folder"),
              rs.getString("drop_password") != null);

  private final Jdbi jdbi;

  public MachineStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** What a caller may set on a machine. */
  public record MachineSpec(
      String name,
      String thumbprint,
      CommunicationStyle communicationStyle,
      String uri,
      List<String> environments,
      List<String> roles,
      SshSettings ssh,
      String dropFolder) {

    /** A Tentacle target. */
    public MachineSpec(
        String name,
        String thumbprint,
        CommunicationStyle communicationStyle,
        String uri,
        List<String> environments,
        List<String> roles) {
      this(name, thumbprint, communicationStyle, uri, environments, roles, null, null);
    }
  }

  public record Page(List<Machine> items, int totalResults) {}

  public Page list(String nameFilter, int skip, int take) {
    NamedPages.Result<Machine> result =
        NamedPages.find(jdbi, "machines", COLUMNS, "name", "name", MACHINE, nameFilter, skip, take);
    return new Page(result.items(), result.totalResults());
  }

  public List<Machine> all() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM machines ORDER BY name")
                .map(MACHINE)
                .list());
  }

  public Optional<Machine> find(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM machines WHERE id = :id")
                .bind("id", id)
                .map(MACHINE)
                .findOne());
  }

  public Optional<Machine> findByName(Handle h, String name) {
    return h.createQuery("SELECT " + COLUMNS + " FROM machines WHERE LOWER(name) = LOWER(:name)")
        .bind("name", name)
        .map(MACHINE)
        .findOne();
  }

  public Optional<Machine> findByThumbprint(Handle h, String thumbprint) {
    return h.createQuery("SELECT " + COLUMNS + " FROM machines WHERE thumbprint = :t")
        .bind("t", thumbprint)
        .map(MACHINE)
        .findOne();
  }

  /** Thumbprints of the polling Tentacles: the only clients the polling port accepts. */
  public List<String> pollingThumbprints() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT thumbprint FROM machines WHERE communication_style = :s")
                .bind("s", CommunicationStyle.TentacleActive.name())
                .mapTo(String.class)
                .list());
  }

  public static String insert(Handle h, MachineSpec spec) {
    String id = "Machines-" + UUID.randomUUID();
    Instant now = Instant.now();
    h.createUpdate(
            "INSERT INTO machines (id, name, thumbprint, communication_style, uri, environments,"
                + " roles, health_status, connectivity, created_at, updated_at, ssh_host, ssh_port,"
                + " ssh_fingerprint, account_id, drop_folder) VALUES (:id, :name, :thumbprint,"
                + " :style, :uri, :environments, :roles, :health, :connectivity, :now, :now,"
                + " :sshHost, :sshPort, :sshFingerprint, :accountId, :dropFolder)")
        .bind("id", id)
        .bindMap(connection(spec))
        .bind("name", spec.name())
        .bind("thumbprint", spec.thumbprint())
        .bind("style", spec.communicationStyle().name())
        .bind("uri", spec.uri())
        .bind("environments", toJson(spec.environments()))
        .bind("roles", toJson(spec.roles()))
        .bind("health", HealthStatus.Unknown.name())
        .bind("connectivity", Connectivity.Unknown.name())
        .bind("now", now)
        .execute();
    return id;
  }

  public static void update(Handle h, String id, MachineSpec spec) {
    h.createUpdate(
            "UPDATE machines SET name = :name, thumbprint = :thumbprint, communication_style ="
                + " :style, uri = :uri, environments = :environments, roles = :roles, updated_at"
                + " = :now, ssh_host = :sshHost, ssh_port = :sshPort, ssh_fingerprint ="
                + " :sshFingerprint, account_id = :accountId, drop_folder = :dropFolder WHERE id ="
                + " :id")
        .bind("id", id)
        .bindMap(connection(spec))
        .bind("name", spec.name())
        .bind("thumbprint", spec.thumbprint())
        .bind("style", spec.communicationStyle().name())
        .bind("uri", spec.uri())
        .bind("environments", toJson(spec.environments()))
        .bind("roles", toJson(spec.roles()))
        .bind("now", Instant.now())
        .execute();
  }

  private static Map<String, Object> connection(MachineSpec spec) {
    Map<String, Object> values = new HashMap<>();
    SshSettings ssh = spec.ssh();
    values.put("sshHost", ssh == null ? null : ssh.host());
    values.put("sshPort", ssh == null ? null : ssh.port());
    values.put("sshFingerprint", ssh == null ? null : ssh.hostKeyFingerprint());
    values.put("accountId", ssh == null ? null : ssh.accountId());
    values.put("dropFolder", spec.dropFolder());
    return values;
  }

  /** Stores an offline drop target's bundle password, already sealed for this row. */
  public static void setSealedDropPassword(Handle h, String id, String sealed) {
    h.createUpdate("UPDATE machines SET drop_password = :sealed WHERE id = :id")
        .bind("sealed", sealed)
        .bind("id", id)
        .execute();
  }

  /** The sealed bundle password of an offline drop target, if set. */
  public static Optional<String> sealedDropPassword(Handle h, String id) {
    return h.createQuery("SELECT drop_password FROM machines WHERE id = :id")
        .bind("id", id)
        .mapTo(String.class)
        .findOne()
        .filter(v -> v != null);
  }

  /** Whether any target signs in with this account. */
  public static boolean accountInUse(Handle h, String accountId) {
    return h.createQuery("SELECT COUNT(*) FROM machines WHERE account_id = :id")
            .bind("id", accountId)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  public static void delete(Handle h, String id) {
    h.createUpdate("DELETE FROM machines WHERE id = :id").bind("id", id).execute();
  }

  public void recordHealth(
      String id,
      HealthStatus status,
      Connectivity connectivity,
      String reason,
      String agentVersion) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE machines SET health_status = :status, connectivity = :connectivity,"
                        + " health_reason = :reason, agent_version = COALESCE(:version,"
                        + " agent_version), health_checked_at = :now WHERE id = :id")
                .bind("id", id)
                .bind("status", status.name())
                .bind("connectivity", connectivity.name())
                .bind("reason", reason)
                .bind("version", agentVersion)
                .bind("now", Instant.now())
                .execute());
  }

  private static String toJson(List<String> values) {
    try {
      return JSON.writeValueAsString(values == null ? List.of() : values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> fromJson(String json) {
    try {
      return json == null ? List.of() : JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored list is not JSON", e);
    }
  }
}
