package dev.sepia.platform.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceManagersTest {

  @TempDir Path temp;

  @Test
  void environmentVariable_forcesTheProcessManager_evenWhereSystemdRuns() throws IOException {
    Path runDir = Files.createDirectories(temp.resolve("run-systemd"));

    ServiceManager manager =
        ServiceManagers.forThisMachine(
            Map.of("SEPIA_SERVICE_MANAGER", "process", "PATH", fakeSystemctlDir().toString()),
            runDir);

    assertThat(manager.kind()).isEqualTo("process");
  }

  @Test
  void environmentVariable_forcesSystemd_inAnyCase() {
    ServiceManager manager =
        ServiceManagers.forThisMachine(
            Map.of("SEPIA_SERVICE_MANAGER", "SystemD"), temp.resolve("absent"));

    assertThat(manager.kind()).isEqualTo("systemd");
  }

  @Test
  void unknownManagerName_isExplained() {
    assertThatThrownBy(
            () -> ServiceManagers.forThisMachine(Map.of("SEPIA_SERVICE_MANAGER", "upstart")))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "SEPIA_SERVICE_MANAGER is 'upstart'; use process or systemd, or unset it to choose"
                + " automatically.");
  }

  @Test
  void runningSystemdWithSystemctl_choosesSystemd() throws IOException {
    Path runDir = Files.createDirectories(temp.resolve("run-systemd"));

    ServiceManager manager =
        ServiceManagers.forThisMachine(
            Map.of("PATH", "/nonexistent:" + fakeSystemctlDir()), runDir);

    assertThat(manager.kind()).isEqualTo("systemd");
  }

  @Test
  void containerWithSystemctlButNoRunningSystemd_choosesTheProcessManager() throws IOException {
    ServiceManager manager =
        ServiceManagers.forThisMachine(
            Map.of("PATH", fakeSystemctlDir().toString()), temp.resolve("no-run-systemd"));

    assertThat(manager.kind()).isEqualTo("process");
  }

  @Test
  void runningSystemdWithoutSystemctlOnThePath_choosesTheProcessManager() throws IOException {
    Path runDir = Files.createDirectories(temp.resolve("run-systemd"));

    ServiceManager manager =
        ServiceManagers.forThisMachine(Map.of("PATH", temp.toString()), runDir);

    assertThat(manager.kind()).isEqualTo("process");
  }

  private Path fakeSystemctlDir() throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path systemctl = bin.resolve("systemctl");
    if (!Files.exists(systemctl)) {
      Files.writeString(systemctl, "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return bin;
  }
}
