package dev.sepia.bench;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long {@code sepia-server rotate-master-key} takes to re-encrypt N sensitive values, and in
 * how much heap. Builds a Sepia database through the real CLI, fills it with N values sealed under
 * its master key, and runs the rotation in this JVM, offline (no server running). Beside it, the
 * floor of the cryptography alone: opening and sealing a sample of the same values in memory.
 * Fails, with exit code 1, unless afterwards every value names the new key, a sample opens with the
 * new key alone, and the config holds only the new key.
 */
@Command(
    name = "master-key-rotation-bench",
    mixinStandardHelpOptions = true,
    description = "Times rotate-master-key over N sealed sensitive values (see bench/README.md).")
public final class MasterKeyRotationBench implements Callable<Integer> {
  private static final String INSTANCE = "Bench";
  private static final long MIB = 1024 * 1024;
  private static final int SAMPLE = 1000;

  @Option(
      names = "--values",
      description = "Sensitive values to store and re-encrypt (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000000")
  int values;

  @Option(
      names = "--perProject",
      description =
          "Sensitive variables per project; --values must be a multiple (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int perProject;

  @Option(
      names = "--postgres",
      description = "Use an embedded PostgreSQL (zonky) instead of an H2 file.")
  boolean postgres;

  @Option(
      names = "--timeoutMinutes",
      description = "The whole run is ended after this long (default: ${DEFAULT-VALUE}).",
      defaultValue = "90")
  int timeoutMinutes;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new MasterKeyRotationBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (values < 1 || perProject < 1 || values % perProject != 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--values and --perProject must be 1 or more, and --values a multiple of"
              + " --perProject.");
    }
    Watchdog.start(Duration.ofMinutes(timeoutMinutes));
    Path folder = Files.createTempDirectory("sepia-bench-rotation-");
    try (BenchDatabase db =
            postgres ? BenchDatabase.postgres() : BenchDatabase.h2(folder.resolve("db"));
        JvmGauges gauges = new JvmGauges();
        HeapAfterGc afterGc = new HeapAfterGc()) {
      return measure(folder, db, gauges, afterGc);
    } finally {
      deleteQuietly(folder);
    }
  }

  private int measure(Path folder, BenchDatabase db, JvmGauges gauges, HeapAfterGc afterGc)
      throws Exception {
    out.printf(
        Locale.ROOT,
        "%,d sensitive values (%d projects × %d) on %s; max heap %d MiB, %d CPUs.%n",
        values,
        values / perProject,
        perProject,
        db.describe(),
        Runtime.getRuntime().maxMemory() / MIB,
        Runtime.getRuntime().availableProcessors());

    Map<String, String> machine = Map.of("SEPIA_MACHINE_DIR", folder.resolve("machine").toString());
    cli(
        machine,
        "create-instance",
        "--instance",
        INSTANCE,
        "--config",
        folder.resolve("home").resolve("server.config.json").toString());
    cli(machine, "database", "--connectionString", db.connectionString(), "--create");
    SymmetricKey oldKey = openConfig(machine).masterKey().orElseThrow();
    long fillStart = System.nanoTime();
    try (Database database = Database.open(db.connectionString(), false)) {
      int projects = values / perProject;
      SensitiveVariables.fill(
          database.dataSource(),
          Barrier.unsealed(Keyring.of(oldKey)),
          projects,
          perProject,
          done -> {
            if (done % Math.max(1, projects / 10) == 0 || done == projects) {
              out.printf(
                  Locale.ROOT,
                  "Filled %,d of %,d values (%.0f s)%n",
                  done * perProject,
                  (long) values,
                  (System.nanoTime() - fillStart) / 1e9);
            }
          });
    }
    long fillNanos = System.nanoTime() - fillStart;

    // The floor: the cryptography alone (open with the old key, seal with the new), in memory.
    Floor floor = cryptoFloor(db, oldKey);

    System.gc();
    gauges.reset();
    afterGc.reset();
    StampedLines stamped = StampedLines.install();
    int exit;
    long rotationNanos;
    try {
      long t = System.nanoTime();
      exit =
          ServerMain.execute(
              machine, new String[] {"rotate-master-key", "--instance", INSTANCE, "--yes"});
      rotationNanos = System.nanoTime() - t;
    } finally {
      stamped.restore();
    }
    JvmGauges.Reading reading = gauges.read();
    long peakAfterGc = afterGc.peakMiB();
    long collections = afterGc.collections();
    if (exit != 0) {
      throw new IllegalStateException("rotate-master-key failed with exit code " + exit);
    }
    ServerConfig config = openConfig(machine);
    SymmetricKey newKey = config.masterKey().orElseThrow();
    if (config.retiringMasterKey().isPresent()) {
      throw new IllegalStateException("The config still holds the previous key");
    }
    requireEveryValueUnder(db, newKey);

    long walkBegin =
        stamped.first("Re-encrypting ").orElseThrow(() -> missing("Re-encrypting")).nanos();
    long walkEnd = stamped.last("Checked ").orElseThrow(() -> missing("Checked")).nanos();
    double seconds = rotationNanos / 1e9;
    out.println();
    out.printf(Locale.ROOT, "Fill: %,d values in %.1f s%n", (long) values, fillNanos / 1e9);
    out.printf(
        Locale.ROOT,
        "rotate-master-key: %.1f s (%,.0f values/s); start %.1f s, walk %.1f s, report + finish"
            + " %.1f s%n",
        seconds,
        values / seconds,
        walkBegin / 1e9,
        (walkEnd - walkBegin) / 1e9,
        (rotationNanos - walkEnd) / 1e9);
    out.printf(
        Locale.ROOT,
        "  heap: peak in use %d MiB, peak after a full GC %d MiB (%d full GCs); max %d MiB; CPU"
            + " %.0f %% of the process, machine %.0f %%%n",
        reading.peakHeapMiB(),
        peakAfterGc,
        collections,
        Runtime.getRuntime().maxMemory() / MIB,
        reading.cpuPercent(),
        reading.machineCpuPercent());
    out.printf(
        Locale.ROOT,
        "Cryptography alone (open + seal, one thread, %,d values in memory): %,.0f values/s,"
            + " i.e. %.1f s for %,d%n",
        floor.values(),
        floor.perSecond(),
        values / floor.perSecond(),
        (long) values);
    out.println(
        "All " + values + " values name the new key; a sample of " + SAMPLE + " opens with it.");
    out.println();
    out.println(
        "| N | database | rotate-master-key | values/s | walk | heap in use / after full GC (max)"
            + " | crypto alone | ratio |");
    out.printf(
        Locale.ROOT,
        "| %,d | %s | %.1f s | %,.0f | %.1f s | %d / %d MiB (%d) | %.1f s | %.1f× |%n",
        (long) values,
        postgres ? "PostgreSQL" : "H2",
        seconds,
        values / seconds,
        (walkEnd - walkBegin) / 1e9,
        reading.peakHeapMiB(),
        peakAfterGc,
        Runtime.getRuntime().maxMemory() / MIB,
        values / floor.perSecond(),
        seconds / (values / floor.perSecond()));
    return 0;
  }

  private record Floor(long values, double perSecond) {}

  /** Opens (old key) and seals (new key) up to 100,000 of the stored values, in one thread. */
  private static Floor cryptoFloor(BenchDatabase db, SymmetricKey oldKey)
      throws SQLException, GeneralSecurityException {
    int n = 100_000;
    String[][] rows = new String[n][];
    int loaded = 0;
    try (Database database = Database.open(db.connectionString(), false);
        Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT id, sensitive_value FROM variables ORDER BY id LIMIT " + n);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows[loaded++] = new String[] {rs.getString(1), rs.getString(2)};
      }
    }
    Barrier both = Barrier.unsealed(Keyring.of(oldKey).withActive(SymmetricKey.generate()));
    long t = System.nanoTime();
    for (int i = 0; i < loaded; i++) {
      byte[] plain = both.open(EncryptedFieldCatalogue.SENSITIVE_VARIABLE, rows[i][0], rows[i][1]);
      both.seal(EncryptedFieldCatalogue.SENSITIVE_VARIABLE, rows[i][0], plain);
    }
    long nanos = System.nanoTime() - t;
    return new Floor(loaded, loaded / (nanos / 1e9));
  }

  private void requireEveryValueUnder(BenchDatabase db, SymmetricKey newKey) throws Exception {
    try (Database database = Database.open(db.connectionString(), false);
        Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      long under =
          SensitiveVariables.one(
              s,
              "SELECT COUNT(*) FROM variables WHERE sensitive_value LIKE 'sepia:v1:"
                  + newKey.keyId()
                  + ":%'");
      if (under != values) {
        throw new IllegalStateException(
            under + " of " + values + " values name the new key " + newKey.keyId());
      }
      long completed =
          SensitiveVariables.one(
              s, "SELECT COUNT(*) FROM key_rotations WHERE completed_at IS NOT NULL");
      if (completed != 1) {
        throw new IllegalStateException("Expected one completed rotation, found " + completed);
      }
      Barrier newOnly = Barrier.unsealed(Keyring.of(newKey));
      try (ResultSet rs =
          s.executeQuery("SELECT id, sensitive_value FROM variables ORDER BY id LIMIT " + SAMPLE)) {
        while (rs.next()) {
          newOnly.open(
              EncryptedFieldCatalogue.SENSITIVE_VARIABLE, rs.getString(1), rs.getString(2));
        }
      }
    }
  }

  private static IllegalStateException missing(String what) {
    return new IllegalStateException("rotate-master-key printed no '" + what + " …' line");
  }

  private static ServerConfig openConfig(Map<String, String> machine) {
    ServerEnvironment environment = new ServerEnvironment(machine);
    InstanceRecord record = environment.registry().resolve(INSTANCE);
    return environment.openConfig(record);
  }

  private static void cli(Map<String, String> env, String... args) {
    int exit = ServerMain.execute(env, args);
    if (exit != 0) {
      throw new IllegalStateException(
          "sepia-server " + String.join(" ", args) + " failed with exit code " + exit);
    }
  }

  private static void deleteQuietly(Path folder) {
    try {
      Files.walkFileTree(
          folder,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("Could not delete " + folder + ": " + e.getMessage());
    }
  }
}
