package dev.sepia.bench;

import dev.sepia.tentacle.agent.TentacleAgent;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The figures of one benchmark run, printed for people and as a Markdown row for the README. */
final class Report {
  final int targets;
  final int listening;
  final int polling;
  final int plannedRuns;

  int threadsBefore;
  long serverStartNanos;
  long fleetStartNanos;
  List<Long> registerNanos = List.of();
  long pollingReadyNanos;
  long queueDrainNanos;
  int ownTasksAtSetup;
  int pollingSocketsUp;
  int pollingRefusals;
  boolean trustNudged;
  JvmGauges.Reading setup;
  long retainedHeapMiB;
  long openFilesIdle;
  long maxOpenFiles;
  final List<HealthCheckBench.RunResult> runs = new ArrayList<>();
  long fleetStopNanos;
  long serverStopNanos;
  List<String> strayThreads = List.of();

  Report(int targets, int listening, int polling, int plannedRuns) {
    this.targets = targets;
    this.listening = listening;
    this.polling = polling;
    this.plannedRuns = plannedRuns;
  }

  void print(PrintStream out) {
    Runtime rt = Runtime.getRuntime();
    out.println();
    out.println("Sepia health-check benchmark");
    out.printf(
        "  JDK %s (%s), %d CPUs, max heap %d MiB, open-files limit %d%n",
        Runtime.version(),
        ManagementFactory.getRuntimeMXBean().getVmName(),
        rt.availableProcessors(),
        rt.maxMemory() / (1024 * 1024),
        maxOpenFiles);
    out.printf(
        "  %d Tentacles: %d listening, %d polling; %d health checks%n",
        targets, listening, polling, plannedRuns);
    out.println("Set-up");
    out.printf("  server started in %d ms%n", millis(serverStartNanos));
    out.printf(
        "  Tentacles created, started and registered in %d ms; one POST /api/machines took %s"
            + " ms (min / median / max)%n",
        millis(fleetStartNanos), Spread.ofNanosAsMillis(registerNanos).format("%.1f"));
    if (polling > 0) {
      out.printf(
          "  polling sockets up: %d of %d, %d ms after set-up began%n",
          pollingSocketsUp, polling * TentacleAgent.POLLING_CONNECTIONS, millis(pollingReadyNanos));
    }
    out.printf(
        "  the server queued %d task(s) of its own (a health check per registered target); %d ms"
            + " until they had all finished%n",
        ownTasksAtSetup, millis(queueDrainNanos));
    if (pollingRefusals > 0 || trustNudged) {
      out.printf(
          "  TLS handshakes the server refused as untrusted (every target was registered before it"
              + " dialed): %d%s%n",
          pollingRefusals,
          trustNudged ? " (and the server had to be nudged to re-read its trust)" : "");
    }
    if (setup != null) {
      out.printf(
          "  fleet idle: %d live platform threads (%d before the fleet, peak %d during set-up),"
              + " %d MiB heap after a full GC, %d open files%n",
          setup.liveThreads(), threadsBefore, setup.peakThreads(), retainedHeapMiB, openFilesIdle);
    }
    out.println(
        "Health checks (client: POST /api/tasks until GET shows isCompleted; server: the task's"
            + " queuedAt to completedAt; last listening / polling: queuedAt to the last such"
            + " target's healthCheckedAt)");
    out.println(
        "  run       client ms  server ms  pick-up ms  last listening  last polling  targets/s"
            + "  CPU %  machine CPU %  peak threads  peak heap MiB  peak open files");
    for (int i = 0; i < runs.size(); i++) {
      HealthCheckBench.RunResult r = runs.get(i);
      out.printf(
          "  %-8s %10d %10d %11d %15s %13s %10.0f %6.0f %14.0f %13d %14d %16d%n",
          (i + 1) + (i == 0 ? " cold" : ""),
          millis(r.clientNanos),
          r.serverMillis,
          r.pickUpMillis,
          r.lastListeningMillis < 0 ? "-" : Long.toString(r.lastListeningMillis),
          r.lastPollingMillis < 0 ? "-" : Long.toString(r.lastPollingMillis),
          targets / (r.clientNanos / 1e9),
          r.jvm.cpuPercent(),
          r.jvm.machineCpuPercent(),
          r.jvm.peakThreads(),
          r.jvm.peakHeapMiB(),
          r.jvm.peakOpenFiles());
    }
    for (int i = 0; i < runs.size(); i++) {
      if (runs.get(i).otherTasks > 0) {
        out.printf(
            "  run %d shared the server with %d other task(s): its figures are not clean%n",
            i + 1, runs.get(i).otherTasks);
      }
    }
    if (!runs.isEmpty()) {
      HealthCheckBench.RunResult busiest =
          runs.stream().max((a, b) -> a.jvm.peakThreads() - b.jvm.peakThreads()).orElseThrow();
      out.println("  platform threads at the busiest sample, by name: " + top(busiest.jvm));
      Spread all = Spread.ofNanosAsMillis(runs.stream().map(r -> r.clientNanos).toList());
      out.printf("  all runs, client ms (min / median / max): %s%n", all.format("%.0f"));
      if (runs.size() > 1) {
        Spread warm = warm();
        out.printf(
            "  warm runs, client ms (min / median / max): %s → %.0f targets/s at the median%n",
            warm.format("%.0f"), targets / (warm.median() / 1e3));
      }
    }
    out.println("Shut-down");
    out.printf(
        "  Tentacles stopped in %d ms, server in %d ms; stray non-daemon threads: %s%n",
        millis(fleetStopNanos),
        millis(serverStopNanos),
        strayThreads.isEmpty() ? "none" : String.join(", ", strayThreads));
    if (!runs.isEmpty()) {
      out.println("Markdown row (bench/README.md):");
      out.println(markdownRow());
    }
  }

  private Spread warm() {
    List<Long> warm =
        runs.size() > 1
            ? runs.subList(1, runs.size()).stream().map(r -> r.clientNanos).toList()
            : List.of(runs.get(0).clientNanos);
    return Spread.ofNanosAsMillis(warm);
  }

  /**
   * A row of the table in bench/README.md: | N | listening / polling | first run | runs 2.. min /
   * median / max | targets/s | peak threads | peak heap MiB (after GC) | peak open files | set-up |
   * CPU process / machine |
   */
  String markdownRow() {
    Spread warm = warm();
    int peakThreads = runs.stream().mapToInt(r -> r.jvm.peakThreads()).max().orElse(0);
    long peakHeap = runs.stream().mapToLong(r -> r.jvm.peakHeapMiB()).max().orElse(0);
    long peakFiles = runs.stream().mapToLong(r -> r.jvm.peakOpenFiles()).max().orElse(0);
    List<HealthCheckBench.RunResult> warmRuns = runs.subList(runs.size() > 1 ? 1 : 0, runs.size());
    double cpu = warmRuns.stream().mapToDouble(r -> r.jvm.cpuPercent()).average().orElse(0);
    double machine =
        warmRuns.stream().mapToDouble(r -> r.jvm.machineCpuPercent()).average().orElse(0);
    return String.format(
        "| %d | %d / %d | %.2f s | %.2f / %.2f / %.2f s | %.0f | %,d | %d (%d) | %,d | %.0f s |"
            + " %.0f / %.0f |",
        targets,
        listening,
        polling,
        runs.get(0).clientNanos / 1e9,
        warm.min() / 1e3,
        warm.median() / 1e3,
        warm.max() / 1e3,
        targets / (warm.median() / 1e3),
        peakThreads,
        peakHeap,
        retainedHeapMiB,
        peakFiles,
        fleetStartNanos / 1e9,
        cpu,
        machine);
  }

  private static String top(JvmGauges.Reading reading) {
    StringBuilder s = new StringBuilder();
    reading.threadsAtPeak().entrySet().stream()
        .limit(8)
        .forEach(
            e ->
                s.append(s.isEmpty() ? "" : ", ")
                    .append(e.getValue())
                    .append(" ")
                    .append(e.getKey()));
    return s.toString();
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
