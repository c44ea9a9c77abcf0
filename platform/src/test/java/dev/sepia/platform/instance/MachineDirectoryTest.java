package dev.sepia.platform.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.platform.cli.OperatorException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MachineDirectoryTest {

  @Test
  void machineDirVariable_winsEvenForRoot() {
    Path dir =
        MachineDirectory.resolve(
            Map.of("SEPIA_MACHINE_DIR", "/tmp/other-machine", "HOME", "/home/ops"),
            () -> true,
            "/root");

    assertThat(dir).isEqualTo(Path.of("/tmp/other-machine"));
  }

  @Test
  void root_keepsMachineFilesInEtcSepia() {
    assertThat(MachineDirectory.resolve(Map.of("HOME", "/root"), () -> true, "/root"))
        .isEqualTo(Path.of("/etc/sepia"));
  }

  @Test
  void ordinaryUser_keepsMachineFilesInTheirConfigFolder() {
    assertThat(MachineDirectory.resolve(Map.of("HOME", "/home/ops"), () -> false, "/ignored"))
        .isEqualTo(Path.of("/home/ops/.config/sepia"));
  }

  @Test
  void emptyMachineDirVariable_countsAsUnset() {
    assertThat(
            MachineDirectory.resolve(
                Map.of("SEPIA_MACHINE_DIR", " ", "HOME", "/home/ops"), () -> false, null))
        .isEqualTo(Path.of("/home/ops/.config/sepia"));
  }

  @Test
  void noHomeAnywhere_saysToSetTheMachineDirVariable() {
    assertThatThrownBy(() -> MachineDirectory.resolve(Map.of(), () -> false, null))
        .isInstanceOf(OperatorException.class)
        .hasMessage(
            "Cannot find the Sepia machine folder: HOME is not set. Set SEPIA_MACHINE_DIR to the"
                + " folder that should hold this machine's key and instance registry.");
  }

  @Test
  void effectiveUid_isReadFromTheSecondFieldOfTheUidLine() {
    String sudoLike =
        "Name:\tjava\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n";

    assertThat(MachineDirectory.effectiveUid(sudoLike)).isEqualTo(OptionalLong.of(0));
    assertThat(MachineDirectory.effectiveUid("Name:\tjava\n")).isEmpty();
  }
}
