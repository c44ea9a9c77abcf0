package dev.sepia.platform.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The unit file and the reading of {@code systemctl show}; systemctl itself is not run. */
class SystemdServiceManagerTest {

  @Test
  void unitFile_runsTheCommandAsASimpleServiceThatRestartsOnFailure() {
    ServiceDefinition d =
        new ServiceDefinition(
            "sepia-server-Default",
            "Sepia server (instance Default)",
            List.of(
                "/usr/lib/jvm/java-21/bin/java",
                "-Dsepia.service=sepia-server-Default",
                "-jar",
                "/opt/sepia/sepia-server.jar",
                "run",
                "--instance",
                "Default"),
            Path.of("/var/lib/sepia"),
            Path.of("/var/lib/sepia/service"),
            Map.of("SEPIA_MACHINE_DIR", "/etc/sepia", "JAVA_OPTS", "-Xmx1g"));

    assertThat(SystemdServiceManager.renderUnit(d))
        .isEqualTo(
            """
            # Written by Sepia (service --install); changes are lost on the next install.
            [Unit]
            Description=Sepia server (instance Default)
            Wants=network-online.target
            After=network-online.target

            [Service]
            Type=simple
            ExecStart=/usr/lib/jvm/java-21/bin/java -Dsepia.service=sepia-server-Default \
            -jar /opt/sepia/sepia-server.jar run --instance Default
            WorkingDirectory=/var/lib/sepia
            Environment="JAVA_OPTS=-Xmx1g"
            Environment="SEPIA_MACHINE_DIR=/etc/sepia"
            Restart=on-failure
            RestartSec=5
            SuccessExitStatus=143

            [Install]
            WantedBy=multi-user.target
            """);
  }

  @Test
  void argumentsWithSpacesQuotesAndSpecifiers_reachTheProgramUnchanged() {
    assertThat(SystemdServiceManager.execArgument("/opt/My Apps/java"))
        .isEqualTo("\"/opt/My Apps/java\"");
    assertThat(SystemdServiceManager.execArgument("say \"hi\"\\now"))
        .isEqualTo("\"say \\\"hi\\\"\\\\now\"");
    assertThat(SystemdServiceManager.execArgument("100%")).isEqualTo("100%%");
    assertThat(SystemdServiceManager.execArgument("$HOME")).isEqualTo("$$HOME");
    assertThat(SystemdServiceManager.execArgument("")).isEqualTo("\"\"");
    assertThat(SystemdServiceManager.execArgument(";")).isEqualTo("\";\"");
  }

  @Test
  void programGivenWithoutAbsolutePath_isRefused() {
    ServiceDefinition d =
        new ServiceDefinition(
            "sepia-server-Default",
            "Sepia server",
            List.of("java", "-Dsepia.service=sepia-server-Default"),
            Path.of("/srv"),
            Path.of("/srv/state"),
            Map.of());

    assertThatThrownBy(() -> SystemdServiceManager.renderUnit(d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("systemd needs the absolute path of the program to run, not java");
  }

  @Test
  void unitFile_escapesEnvironmentValuesAndPercentSigns() {
    ServiceDefinition d =
        new ServiceDefinition(
            "sepia-server-Default",
            "Sepia 100% server",
            List.of("/usr/bin/java", "-Dsepia.service=sepia-server-Default"),
            Path.of("/srv/sepia %h"),
            Path.of("/srv/sepia/state"),
            Map.of("SEPIA_NOTE", "a \"quoted\" \\ 50% value"));

    assertThat(SystemdServiceManager.renderUnit(d))
        .contains("Description=Sepia 100%% server\n")
        .contains("WorkingDirectory=/srv/sepia %%h\n")
        .contains("Environment=\"SEPIA_NOTE=a \\\"quoted\\\" \\\\ 50%% value\"\n");
  }

  @Test
  void systemctlShow_ofARunningUnit_isRunningWithItsMainPid() {
    ServiceStatus status =
        SystemdServiceManager.UnitState.parse(
                "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=4242\n"
                    + "ExecMainStatus=0\n")
            .toStatus("sepia-server-Default.service");

    assertThat(status)
        .isEqualTo(new ServiceStatus(ServiceState.RUNNING, 4242, "running (pid 4242)"));
  }

  @Test
  void systemctlShow_ofAnUnknownUnit_isNotInstalled() {
    ServiceStatus status =
        SystemdServiceManager.UnitState.parse(
                "LoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\n")
            .toStatus("sepia-server-Default.service");

    assertThat(status)
        .isEqualTo(
            new ServiceStatus(
                ServiceState.NOT_INSTALLED,
                -1,
                "not installed (no systemd unit sepia-server-Default.service)"));
  }

  @Test
  void systemctlShow_ofACrashedUnit_pointsToTheJournal() {
    SystemdServiceManager.UnitState failed =
        SystemdServiceManager.UnitState.parse(
            "LoadState=loaded\nActiveState=failed\nSubState=failed\nMainPID=0\nExecMainStatus=1\n");
    SystemdServiceManager.UnitState restarting =
        SystemdServiceManager.UnitState.parse(
            "LoadState=loaded\nActiveState=activating\nSubState=auto-restart\nMainPID=0\n"
                + "ExecMainStatus=1\n");

    assertThat(failed.failed()).isTrue();
    assertThat(failed.toStatus("x.service"))
        .isEqualTo(
            new ServiceStatus(
                ServiceState.STOPPED,
                -1,
                "not running (failed with exit code 1; see journalctl -u x.service)"));
    assertThat(restarting.failed()).isTrue();
    assertThat(restarting.toStatus("x.service").detail())
        .isEqualTo("crashed (exit code 1); systemd will restart it. See: journalctl -u x.service");
  }
}
