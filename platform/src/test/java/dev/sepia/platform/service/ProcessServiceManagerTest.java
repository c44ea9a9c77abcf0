package dev.sepia.platform.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link FakeService} as a real background process. */
class ProcessServiceManagerTest {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path temp;
  private Path work;
  private Path state;
  private Path ready;
  private final ProcessServiceManager manager = new ProcessServiceManager();
  private final List<ServiceDefinition> started = new ArrayList<>();
  private final List<Process> helpers = new ArrayList<>();

  @BeforeEach
  void folders() throws IOException {
    work = Files.createDirectories(temp.resolve("work"));
    state = temp.resolve("state");
    ready = temp.resolve("ready");
  }

  @AfterEach
  void stopEverything() {
    for (ServiceDefinition d : started) {
      manager.stop(d, Duration.ofSeconds(1));
    }
    helpers.forEach(Process::destroyForcibly);
  }

  @Test
  void startedService_isRunning_withItsPidAndOutputInTheLog() throws IOException {
    ServiceDefinition d = installed(fake("serve", ready.toString()));

    ServiceStatus status = manager.start(d, () -> Files.exists(ready), START_TIMEOUT);

    assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
    assertThat(status.detail()).isEqualTo("running (pid " + status.pid() + ")");
    assertThat(ProcessHandle.of(status.pid())).get().matches(ProcessHandle::isAlive);
    assertThat(Files.readString(manager.pidFile(d)).trim()).isEqualTo(Long.toString(status.pid()));
    assertThat(manager.status(d)).isEqualTo(status);
    assertThat(Files.readString(manager.logFile(d)))
        .contains("fake service started", "env FAKE_GREETING=hello", "cwd " + work);
  }

  @Test
  void startedService_runsInItsOwnSession_andSetsidKeepsThePid() throws IOException {
    assumeThat(
            Files.isExecutable(Path.of("/usr/bin/setsid"))
                || Files.isExecutable(Path.of("/bin/setsid")))
        .as("setsid installed")
        .isTrue();
    ServiceDefinition d = installed(fake("serve", ready.toString()));

    long pid = manager.start(d, () -> Files.exists(ready), START_TIMEOUT).pid();

    // The pid the program sees itself is the pid we recorded: setsid exec'd, it did not fork.
    assertThat(Long.parseLong(Files.readString(ready))).isEqualTo(pid);
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ..."
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(Long.parseLong(fields[3])).as("session id").isEqualTo(pid);
  }

  @Test
  void stop_endsTheProcess_andForgetsThePid() {
    ServiceDefinition d = installed(fake("serve", ready.toString()));
    long pid = manager.start(d, () -> Files.exists(ready), START_TIMEOUT).pid();

    ServiceStatus stopped = manager.stop(d, STOP_TIMEOUT);

    assertThat(stopped)
        .isEqualTo(new ServiceStatus(ServiceState.STOPPED, -1, "stopped (was pid " + pid + ")"));
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(manager.pidFile(d)).doesNotExist();
    assertThat(manager.status(d))
        .isEqualTo(
            new ServiceStatus(
                ServiceState.STOPPED,
                -1,
                "not running (last run ended; see " + manager.logFile(d) + ")"));
  }

  @Test
  void stop_killsAServiceThatIgnoresTheTerminateSignal() {
    ServiceDefinition d = installed(fake("stubborn", ready.toString()));
    long pid = manager.start(d, () -> Files.exists(ready), START_TIMEOUT).pid();

    ServiceStatus stopped = manager.stop(d, Duration.ofMillis(500));

    assertThat(stopped.state()).isEqualTo(ServiceState.STOPPED);
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void startingARunningService_saysItIsAlreadyRunning() {
    ServiceDefinition d = installed(fake("serve", ready.toString()));
    long pid = manager.start(d, () -> Files.exists(ready), START_TIMEOUT).pid();

    ServiceStatus again = manager.start(d, () -> true, START_TIMEOUT);

    assertThat(again)
        .isEqualTo(
            new ServiceStatus(ServiceState.RUNNING, pid, "already running (pid " + pid + ")"));
  }

  @Test
  void serviceThatExitsAtOnce_reportsItsExitCodeAndTheEndOfItsLog() {
    ServiceDefinition d = installed(fake("fail", "3"));
    String heading =
        "The service exited during start-up (exit code 3). Last lines of "
            + manager.logFile(d)
            + ":\n";

    assertThatThrownBy(() -> manager.start(d, () -> false, START_TIMEOUT))
        .isInstanceOf(OperatorException.class)
        .message()
        .startsWith(heading)
        .contains("loading configuration", "boom: the config file is missing");
    assertThat(manager.pidFile(d)).doesNotExist();
    assertThat(manager.status(d).state()).isEqualTo(ServiceState.STOPPED);

    // A second failure shows only its own run's output, not the first run's again.
    assertThatThrownBy(() -> manager.start(d, () -> false, START_TIMEOUT))
        .message()
        .satisfies(
            message ->
                assertThat(message.split("boom: the config file is missing", -1)).hasSize(2));
  }

  @Test
  void startWithoutInstall_saysToInstallFirst() {
    ServiceDefinition d = fake("serve", ready.toString());

    assertThatThrownBy(() -> manager.start(d, () -> true, START_TIMEOUT))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "The service is not installed. Run service --install first (or service --install"
                + " --start).");
    assertThat(manager.status(d))
        .isEqualTo(new ServiceStatus(ServiceState.NOT_INSTALLED, -1, "not installed"));
    assertThat(manager.stop(d, STOP_TIMEOUT).state()).isEqualTo(ServiceState.NOT_INSTALLED);
  }

  @Test
  void installedService_isStoppedUntilStarted_andItsDefinitionIsOwnerOnly() throws IOException {
    ServiceDefinition d = installed(fake("serve", ready.toString()));

    assertThat(manager.status(d))
        .isEqualTo(new ServiceStatus(ServiceState.STOPPED, -1, "not running"));
    assertThat(Files.readString(manager.definitionFile(d)))
        .contains("\"serviceName\": \"sepia-test-Fake\"");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(manager.definitionFile(d))))
        .isEqualTo("rw-------");
  }

  @Test
  void stalePidFileOfAFinishedProcess_isReportedAndRemoved() throws Exception {
    ServiceDefinition d = installed(fake("serve", ready.toString()));
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    Files.writeString(manager.pidFile(d), finished.pid() + "\n");

    assertThat(manager.status(d))
        .isEqualTo(
            new ServiceStatus(ServiceState.STOPPED, -1, "not running (stale pid file removed)"));
    assertThat(manager.pidFile(d)).doesNotExist();
  }

  @Test
  void pidFileNamingAnUnrelatedProcess_neverKillsIt() throws Exception {
    ServiceDefinition d = installed(fake("serve", ready.toString()));
    Process unrelated = new ProcessBuilder("sleep", "60").start();
    helpers.add(unrelated);
    Files.writeString(manager.pidFile(d), unrelated.pid() + "\n");

    ServiceStatus stopped = manager.stop(d, STOP_TIMEOUT);

    assertThat(stopped)
        .isEqualTo(
            new ServiceStatus(ServiceState.STOPPED, -1, "not running (stale pid file removed)"));
    assertThat(unrelated.isAlive()).isTrue();
  }

  @Test
  void uninstall_stopsTheRunningServiceAndForgetsIt() {
    ServiceDefinition d = installed(fake("serve", ready.toString()));
    long pid = manager.start(d, () -> Files.exists(ready), START_TIMEOUT).pid();

    manager.uninstall(d);

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(manager.status(d))
        .isEqualTo(new ServiceStatus(ServiceState.NOT_INSTALLED, -1, "not installed"));
    manager.uninstall(d); // a second uninstall is harmless
  }

  @Test
  void slowStart_timesOut_leavingTheServiceRunning() throws IOException {
    ServiceDefinition d = installed(fake("serve", ready.toString()));

    assertThatThrownBy(() -> manager.start(d, () -> false, Duration.ofSeconds(1)))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "The service is still starting after 1 s (pid "
                + Files.readString(manager.pidFile(d)).trim()
                + "); it was left running. Follow its log at "
                + manager.logFile(d)
                + ", and check again with service --status.");
    assertThat(manager.status(d).state()).isEqualTo(ServiceState.RUNNING);
  }

  @Test
  void probeThatThrowsWhileTheServiceBoots_countsAsNotReadyYet() {
    ServiceDefinition d = installed(fake("serve", ready.toString()));
    AtomicInteger calls = new AtomicInteger();

    ServiceStatus status =
        manager.start(
            d,
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("connection refused");
              }
              return true;
            },
            START_TIMEOUT);

    assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
  }

  @Test
  void restart_replacesTheProcess() throws IOException {
    ServiceDefinition d = installed(fake("serve", ready.toString()));
    long first = manager.start(d, () -> Files.exists(ready), START_TIMEOUT).pid();
    Files.delete(ready);

    ServiceStatus second = manager.restart(d, () -> Files.exists(ready), START_TIMEOUT);

    assertThat(second.state()).isEqualTo(ServiceState.RUNNING);
    assertThat(second.pid()).isNotEqualTo(first);
    assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void missingWorkingDirectory_isNamed() throws IOException {
    Files.delete(work);
    ServiceDefinition d = installed(fake("serve", ready.toString()));

    assertThatThrownBy(() -> manager.start(d, () -> true, START_TIMEOUT))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "Cannot start sepia-test-Fake: its working directory "
                + work
                + " does not exist. Create it, or re-install the service.");
  }

  @Test
  void commandThatDoesNotNameTheService_isRefused_becauseStopCouldNotRecogniseIt() {
    ServiceDefinition d =
        new ServiceDefinition(
            "sepia-test-Fake", "Fake", List.of("sleep", "60"), work, state, Map.of());

    assertThatThrownBy(() -> manager.install(d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Dsepia.service=sepia-test-Fake");
  }

  @Test
  void withoutSetsid_theServiceStillStartsAndStops() {
    ProcessServiceManager plain = new ProcessServiceManager(Optional.empty());
    ServiceDefinition d = fake("serve", ready.toString());
    plain.install(d);
    started.add(d);

    long pid = plain.start(d, () -> Files.exists(ready), START_TIMEOUT).pid();
    plain.stop(d, STOP_TIMEOUT);

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  private ServiceDefinition installed(ServiceDefinition d) {
    manager.install(d);
    started.add(d);
    return d;
  }

  private ServiceDefinition fake(String... args) {
    String name = "sepia-test-Fake";
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsepia.service=" + name,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                testClasses(),
                FakeService.class.getName()));
    command.addAll(List.of(args));
    return new ServiceDefinition(
        name, "Fake service", command, work, state, Map.of("FAKE_GREETING", "hello"));
  }

  private static String testClasses() {
    try {
      return Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
