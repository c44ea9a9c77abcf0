package dev.sepia.bench;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseMetadata;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long {@code sepia-server lost-master-key} takes over N sensitive values, and in how much
 * heap, beside the plain SQL that reaches the same end state. Builds a Sepia database through the
 * real CLI, fills it with N sealed sensitive variables, then, as an operator whose master key is
 * gone would, points a new instance (new machine, new key) at it and runs the recovery in this JVM.
 * A copy of the filled database is cleared with one INSERT … SELECT and one UPDATE for comparison.
 * Fails, with exit code 1, unless both leave every value NULL and listed once.
 */
@Command(
    name = "lost-master-key-bench",
    mixinStandardHelpOptions = true,
    description =
        "Times lost-master-key over N sealed sensitive values beside a plain SQL update (see"
            + " bench/README.md).")
public final class LostMasterKeyBench implements Callable<Integer> {
  private static final String INSTANCE = "Bench";
  private static final long MIB = 1024 * 1024;

  @Option(
      names = "--values",
      description = "Sensitive values to store and clear (default: ${DEFAULT-VALUE}).",
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
    System.exit(new CommandLine(new LostMasterKeyBench()).execute(args));
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
    Path folder = Files.createTempDirectory("sepia-bench-recovery-");
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

    // 1. The database, made by the real CLI, filled with values sealed under its master key.
    Map<String, String> oldMachine = machine(folder, "old");
    cli(oldMachine, "create-instance", "--instance", INSTANCE, "--config", config(folder, "old"));
    cli(oldMachine, "database", "--connectionString", db.connectionString(), "--create");
    SymmetricKey oldKey = openConfig(oldMachine).masterKey().orElseThrow();
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
      expect(database, "after the fill", values, values, 0);
    }
    long fillNanos = System.nanoTime() - fillStart;
    String floorDb = db.copy("floor");

    // 2. The floor: the same end state from two SQL statements, on the copy.
    System.gc();
    gauges.reset();
    afterGc.reset();
    PlainSqlClear.Result floor;
    try (Database database = Database.open(floorDb, false)) {
      floor = PlainSqlClear.run(database.dataSource());
      if (floor.listed() != values || floor.cleared() != values) {
        throw new IllegalStateException(
            "The plain SQL listed "
                + floor.listed()
                + " and cleared "
                + floor.cleared()
                + " values, not "
                + values);
      }
      expect(database, "after the plain SQL", values, 0, values);
    }
    JvmGauges.Reading floorGauges = gauges.read();
    long floorAfterGc = afterGc.peakMiB();
    out.printf(
        Locale.ROOT,
        "Plain SQL on the copy: %.1f s (%,.0f values/s)%n",
        floor.nanos() / 1e9,
        values / (floor.nanos() / 1e9));

    // 3. The key is lost: a new machine, a new instance, the same database.
    Map<String, String> newMachine = machine(folder, "new");
    cli(newMachine, "create-instance", "--instance", INSTANCE, "--config", config(folder, "new"));
    cli(newMachine, "database", "--connectionString", db.connectionString());
    System.gc();
    long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB;
    gauges.reset();
    afterGc.reset();
    StampedLines stamped = StampedLines.install();
    int exit;
    long recoveryNanos;
    try {
      long t = System.nanoTime();
      exit =
          ServerMain.execute(
              newMachine,
              new String[] {
                "lost-master-key",
                "--instance",
                INSTANCE,
                "--iReallyWantToResetAllMySensitiveData",
                "--iHaveBackedUpMyDatabase"
              });
      recoveryNanos = System.nanoTime() - t;
    } finally {
      stamped.restore();
    }
    JvmGauges.Reading recovery = gauges.read();
    long recoveryAfterGc = afterGc.peakMiB();
    long recoveryCollections = afterGc.collections();
    if (exit != 0) {
      throw new IllegalStateException("lost-master-key failed with exit code " + exit);
    }
    SymmetricKey newKey = openConfig(newMachine).masterKey().orElseThrow();
    try (Database database = Database.open(db.connectionString(), false)) {
      expect(database, "after lost-master-key", values, 0, values);
      if (MasterKeyGate.check(new DatabaseMetadata(database.jdbi()), newKey)
          != MasterKeyGate.Verdict.OPENS) {
        throw new IllegalStateException("After lost-master-key the new key does not open it");
      }
      requireCompletedRecovery(database);
    }
    Phases phases = Phases.from(stamped, recoveryNanos);
    long reportBytes = reportBytes(folder.resolve("new"));

    print(
        fillNanos,
        heapBefore,
        recoveryNanos,
        new Heap(recovery, recoveryAfterGc, recoveryCollections),
        phases,
        reportBytes,
        floor,
        new Heap(floorGauges, floorAfterGc, -1));
    return 0;
  }

  /** Heap of one phase: sampled peak in use (garbage included) and peak left after a GC. */
  private record Heap(JvmGauges.Reading gauges, long afterGcMiB, long collections) {}

  /** What the recovery's own lines say about where its time went. */
  private record Phases(long startNanos, long clearNanos, long afterNanos) {
    static Phases from(StampedLines lines, long total) {
      long begin = lines.first("Checking ").orElseThrow(() -> missing("Checking")).nanos();
      long end = lines.last("Checked ").orElseThrow(() -> missing("Checked")).nanos();
      return new Phases(begin, end - begin, total - end);
    }

    private static IllegalStateException missing(String what) {
      return new IllegalStateException("lost-master-key printed no '" + what + " …' line");
    }
  }

  private void expect(
      Database database, String when, long sensitive, long stillSealed, long clearedListed)
      throws SQLException {
    SensitiveVariables.Counts counts = SensitiveVariables.count(database.dataSource());
    SensitiveVariables.Counts wanted =
        new SensitiveVariables.Counts(sensitive, stillSealed, clearedListed);
    if (!counts.equals(wanted)) {
      throw new IllegalStateException(
          "Wrong end state "
              + when
              + ": sensitive variables / still sealed / listed in cleared_values = "
              + counts.sensitive()
              + " / "
              + counts.stillSealed()
              + " / "
              + counts.clearedListed()
              + ", expected "
              + sensitive
              + " / "
              + stillSealed
              + " / "
              + clearedListed);
    }
  }

  private void requireCompletedRecovery(Database database) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      long completed =
          SensitiveVariables.one(
              s,
              "SELECT COUNT(*) FROM recoveries WHERE completed_at IS NOT NULL AND cleared_count = "
                  + values);
      long unfinished =
          SensitiveVariables.one(s, "SELECT COUNT(*) FROM recoveries WHERE completed_at IS NULL");
      if (completed != 1 || unfinished != 0) {
        throw new IllegalStateException(
            "Expected one completed recovery that cleared "
                + values
                + " values and none unfinished; found "
                + completed
                + " and "
                + unfinished);
      }
    }
  }

  private void print(
      long fillNanos,
      long heapBefore,
      long recoveryNanos,
      Heap recoveryHeap,
      Phases phases,
      long reportBytes,
      PlainSqlClear.Result floor,
      Heap floorHeap) {
    JvmGauges.Reading recovery = recoveryHeap.gauges();
    JvmGauges.Reading floorGauges = floorHeap.gauges();
    double recoverySeconds = recoveryNanos / 1e9;
    double floorSeconds = floor.nanos() / 1e9;
    out.println();
    out.printf(Locale.ROOT, "Fill: %,d values in %.1f s%n", (long) values, fillNanos / 1e9);
    out.printf(
        Locale.ROOT,
        "lost-master-key: %.1f s (%,.0f values/s); start %.1f s, clearing %.1f s, certificate +"
            + " report + finish %.1f s; report %.1f MiB%n",
        recoverySeconds,
        values / recoverySeconds,
        phases.startNanos() / 1e9,
        phases.clearNanos() / 1e9,
        phases.afterNanos() / 1e9,
        reportBytes / (double) MIB);
    out.printf(
        Locale.ROOT,
        "  heap: peak in use %d MiB, peak after a full GC %d MiB (%d full GCs), %d MiB before; max %d MiB;"
            + " CPU %.0f %% of the process, machine %.0f %%%n",
        recovery.peakHeapMiB(),
        recoveryHeap.afterGcMiB(),
        recoveryHeap.collections(),
        heapBefore,
        Runtime.getRuntime().maxMemory() / MIB,
        recovery.cpuPercent(),
        recovery.machineCpuPercent());
    out.printf(
        Locale.ROOT,
        "Plain SQL (INSERT … SELECT + UPDATE, one transaction): %.1f s (%,.0f values/s); heap:"
            + " peak in use %d MiB, after a full GC %d MiB; CPU %.0f %% / machine %.0f %%%n",
        floorSeconds,
        values / floorSeconds,
        floorGauges.peakHeapMiB(),
        floorHeap.afterGcMiB(),
        floorGauges.cpuPercent(),
        floorGauges.machineCpuPercent());
    out.printf(Locale.ROOT, "Ratio: %.1f×%n", recoverySeconds / floorSeconds);
    out.println("All " + values + " values NULL and listed in cleared_values, both ways.");
    out.println();
    out.println(
        "| N | database | lost-master-key | values/s | clearing | after clearing | heap in use /"
            + " after full GC (max) | plain SQL | values/s | ratio |");
    out.printf(
        Locale.ROOT,
        "| %,d | %s | %.1f s | %,.0f | %.1f s | %.1f s | %d / %d MiB (%d) | %.1f s | %,.0f |"
            + " %.1f× |%n",
        (long) values,
        postgres ? "PostgreSQL" : "H2",
        recoverySeconds,
        values / recoverySeconds,
        phases.clearNanos() / 1e9,
        phases.afterNanos() / 1e9,
        recovery.peakHeapMiB(),
        recoveryHeap.afterGcMiB(),
        Runtime.getRuntime().maxMemory() / MIB,
        floorSeconds,
        values / floorSeconds,
        recoverySeconds / floorSeconds);
  }

  private static Map<String, String> machine(Path folder, String name) {
    return Map.of("SEPIA_MACHINE_DIR", folder.resolve(name).resolve("machine").toString());
  }

  private static String config(Path folder, String name) {
    return folder.resolve(name).resolve("server.config.json").toString();
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

  /** Bytes of the report files (Markdown and JSON) the recovery wrote in its home's Reports. */
  private static long reportBytes(Path home) throws IOException {
    List<Path> reports = new ArrayList<>();
    try (Stream<Path> files = Files.list(home.resolve("Reports"))) {
      files.forEach(reports::add);
    }
    if (reports.size() != 2) {
      throw new IllegalStateException(
          "Expected a Markdown and a JSON report in " + home.resolve("Reports") + ": " + reports);
    }
    long bytes = 0;
    for (Path p : reports) {
      bytes += Files.size(p);
    }
    return bytes;
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
