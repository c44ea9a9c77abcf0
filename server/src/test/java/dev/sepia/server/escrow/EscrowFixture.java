package dev.sepia.server.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.CliRunner;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * An instance with a database on the "old" machine, and a "new" machine (its own machine folder) to
 * recover onto, both driven through the real command line.
 */
final class EscrowFixture {
  static final String OLD = "Old";
  static final String NEW = "Rescue";

  final Path temp;
  final String url;
  final Map<String, String> oldEnv;
  final Map<String, String> newEnv;

  private EscrowFixture(Path temp, String url) {
    this.temp = temp;
    this.url = url;
    this.oldEnv = Map.of("SEPIA_MACHINE_DIR", temp.resolve("old-machine").toString());
    this.newEnv = Map.of("SEPIA_MACHINE_DIR", temp.resolve("new-machine").toString());
  }

  static EscrowFixture created(Path temp, String url) {
    EscrowFixture f = new EscrowFixture(temp, url);
    f.must(
        f.oldEnv,
        "create-instance",
        "--instance",
        OLD,
        "--config",
        temp.resolve("old").resolve("server.config.json").toString());
    f.must(f.oldEnv, "database", "--connectionString", url, "--create");
    return f;
  }

  /** An instance on the new machine with a master key of its own and no database yet. */
  void newMachine() {
    must(
        newEnv,
        "create-instance",
        "--instance",
        NEW,
        "--config",
        temp.resolve("new").resolve("server.config.json").toString());
  }

  record Run(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

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

  Run must(Map<String, String> env, String... args) {
    Run r = run(env, args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  Run old(String... args) {
    return run(oldEnv, withInstance(OLD, args));
  }

  Run rescue(String... args) {
    return run(newEnv, withInstance(NEW, args));
  }

  Run rescue(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(newEnv);
    env.putAll(extraEnv);
    return run(env, withInstance(NEW, args));
  }

  private static String[] withInstance(String instance, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = args[0];
    all[1] = "--instance";
    all[2] = instance;
    System.arraycopy(args, 1, all, 3, args.length - 1);
    return all;
  }

  static ServerConfig config(Map<String, String> env, String instance) {
    ServerEnvironment environment = new ServerEnvironment(env);
    InstanceRecord record = environment.registry().resolve(instance);
    return environment.openConfig(record);
  }

  SymmetricKey oldKey() {
    return config(oldEnv, OLD).masterKey().orElseThrow();
  }

  SymmetricKey newKey() {
    return config(newEnv, NEW).masterKey().orElse(null);
  }

  MasterKeyEscrow.Status escrow() {
    try (Database db = Database.open(url, false)) {
      return new MasterKeyEscrow(db.jdbi()).status();
    }
  }
}
