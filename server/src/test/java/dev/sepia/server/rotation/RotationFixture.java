package dev.sepia.server.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.FieldCipher;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.CliRunner;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine;

/**
 * A database made by instance "Main" on one machine (its own machine folder), filled with sealed
 * values, and the commands that rotate its key.
 */
final class RotationFixture {
  static final String INSTANCE = "Main";

  final Path temp;
  final String url;
  final Map<String, String> env;

  private RotationFixture(Path temp, String url) {
    this.temp = temp;
    this.url = url;
    this.env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine-a").toString());
  }

  /** Only to read the values of a database made elsewhere. */
  static RotationFixture view(Path temp, String url) {
    return new RotationFixture(temp, url);
  }

  static RotationFixture created(Path temp, String url) {
    RotationFixture f = new RotationFixture(temp, url);
    f.must(f.env, "create-instance", "--instance", INSTANCE, "--config", f.config().toString());
    f.must(f.env, "database", "--connectionString", url, "--create");
    return f;
  }

  Path config() {
    return temp.resolve("main").resolve("server.config.json");
  }

  Path home() {
    return config().getParent();
  }

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServerMain(new ServerEnvironment(env)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = CliRunner.execute(cli, args, env);
    return new Run(exit, out.toString(), err.toString());
  }

  void must(Map<String, String> env, String... args) {
    Run r = run(env, args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isZero();
  }

  /** rotate-master-key --yes on "Main", with extra environment (fault points, batch size). */
  Run rotate(Map<String, String> extraEnv, String... flags) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(extraEnv);
    List<String> args = new ArrayList<>(List.of("rotate-master-key", "--instance", INSTANCE));
    args.addAll(List.of(flags));
    return run(all, args.toArray(String[]::new));
  }

  ServerConfig configOf(Map<String, String> env, String instance) {
    ServerEnvironment environment = new ServerEnvironment(env);
    InstanceRecord record = environment.registry().resolve(instance);
    return environment.openConfig(record);
  }

  SymmetricKey key() {
    return configOf(env, INSTANCE).masterKey().orElseThrow();
  }

  Database open() {
    return Database.open(url, false);
  }

  /** Every stored value of every catalogued column: "table.column/row id" → sealed text. */
  Map<String, String> storedValues() {
    Map<String, String> values = new LinkedHashMap<>();
    try (Database db = open()) {
      db.jdbi()
          .useHandle(
              h -> {
                for (EncryptedField f : EncryptedFieldCatalogue.all()) {
                  h.createQuery(
                          "SELECT "
                              + f.idColumn()
                              + ", "
                              + f.column()
                              + " FROM "
                              + f.table()
                              + " WHERE "
                              + f.column()
                              + " IS NOT NULL")
                      .map((rs, ctx) -> Map.entry(f + "/" + rs.getString(1), rs.getString(2)))
                      .forEach(e -> values.put(e.getKey(), e.getValue()));
                }
              });
    }
    return values;
  }

  /** The key id each stored value names. */
  Map<String, String> keyIds() {
    Map<String, String> ids = new LinkedHashMap<>();
    storedValues().forEach((where, text) -> ids.put(where, FieldCipher.keyIdOf(text)));
    return ids;
  }

  /** Every stored value opened with {@code ring}: where → plaintext, or "<does not open>". */
  Map<String, String> opened(Keyring ring) {
    Barrier barrier = Barrier.unsealed(ring);
    Map<String, String> plain = new LinkedHashMap<>();
    storedValues()
        .forEach(
            (where, text) -> {
              String field = where.substring(0, where.indexOf('/'));
              String rowId = where.substring(where.indexOf('/') + 1);
              EncryptedField f =
                  EncryptedFieldCatalogue.find(
                          field.substring(0, field.indexOf('.')),
                          field.substring(field.indexOf('.') + 1))
                      .orElseThrow();
              try {
                plain.put(where, java.util.HexFormat.of().formatHex(barrier.open(f, rowId, text)));
              } catch (Exception e) {
                plain.put(where, DOES_NOT_OPEN);
              }
            });
    return plain;
  }

  static final String DOES_NOT_OPEN = "<does not open>";

  String thumbprint() {
    try (Database db = open()) {
      return new ServerCertificateStore(db.jdbi()).current().orElseThrow().thumbprint();
    }
  }

  long count(String sql) {
    try (Database db = open()) {
      return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
  }

  /** Sensitive variables of a project and token accounts, sealed straight through SQL. */
  void seed(SymmetricKey key, int accounts, int variables) {
    Barrier barrier = Barrier.unsealed(Keyring.of(key));
    Instant now = Instant.now();
    try (Database db = open()) {
      db.jdbi()
          .useTransaction(
              h -> {
                String project = "Projects-" + UUID.randomUUID();
                h.createUpdate(
                        "INSERT INTO projects (id, name, lifecycle_id, library_set_ids,"
                            + " created_at, updated_at) VALUES (:id, :name, 'Lifecycles-default',"
                            + " '[]', :now, :now)")
                    .bind("id", project)
                    .bind("name", "Shop " + project.substring(9, 17))
                    .bind("now", now)
                    .execute();
                for (int i = 0; i < variables; i++) {
                  String id = "Variables-" + UUID.randomUUID();
                  h.createUpdate(
                          "INSERT INTO variables (id, owner_id, name, is_sensitive, plain_value,"
                              + " sensitive_value, scope_environments, scope_roles,"
                              + " scope_machines, position, created_at, updated_at) VALUES (:id,"
                              + " :owner, :name, TRUE, NULL, :sealed, '[]', '[]', '[]',"
                              + " :position, :now, :now)")
                      .bind("id", id)
                      .bind("owner", project)
                      .bind("name", "Secret" + i)
                      .bind(
                          "sealed",
                          barrier.seal(EncryptedFieldCatalogue.SENSITIVE_VARIABLE, id, "v" + i))
                      .bind("position", i)
                      .bind("now", now)
                      .execute();
                }
                for (int i = 0; i < accounts; i++) {
                  String id = "Accounts-" + UUID.randomUUID();
                  h.createUpdate(
                          "INSERT INTO accounts (id, name, kind, token, created_at, updated_at)"
                              + " VALUES (:id, :name, 'Token', :sealed, :now, :now)")
                      .bind("id", id)
                      .bind("name", "token account " + id.substring(9, 17))
                      .bind(
                          "sealed",
                          barrier.seal(EncryptedFieldCatalogue.ACCOUNT_TOKEN, id, "t" + i))
                      .bind("now", now)
                      .execute();
                }
              });
    }
  }
}
