package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A machine folder stands for a machine; a second folder is "another machine". */
class MachineKeyTest {

  private static final byte[] MASTER_KEY = "the master key bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path temp;

  @Test
  void firstStart_createsAPrivateKeyFileInAPrivateFolder() throws Exception {
    Path machineDir = temp.resolve("etc").resolve("sepia");

    MachineKey key = MachineKey.loadOrCreate(machineDir);

    assertThat(key.file()).isEqualTo(machineDir.resolve("machine.key"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(machineDir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.file())))
        .isEqualTo("rw-------");
    assertThat(Files.readString(key.file())).matches("[A-Za-z0-9+/]{43}=\n");
    try (var files = Files.list(machineDir)) {
      assertThat(files).as("no temporary files left behind").containsExactly(key.file());
    }
  }

  @Test
  void secondStart_usesTheSameKey() throws Exception {
    MachineKey first = MachineKey.loadOrCreate(temp);
    MachineKey second = MachineKey.loadOrCreate(temp);

    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(MachineKey.load(temp))
        .hasValueSatisfying(k -> assertThat(k.keyId()).isEqualTo(first.keyId()));
  }

  @Test
  void racingFirstStarts_allEndUpWithOneKey() throws Exception {
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        ids.add(
            pool.submit(
                () -> {
                  start.await();
                  return MachineKey.loadOrCreate(temp).keyId();
                }));
      }
      start.countDown();
      List<String> seen = new ArrayList<>();
      for (Future<String> id : ids) {
        seen.add(id.get());
      }

      String onDisk = MachineKey.load(temp).orElseThrow().keyId();
      assertThat(seen).containsOnly(onDisk);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void load_withoutAKeyFile_findsNothing_andCreatesNothing() throws Exception {
    Path machineDir = temp.resolve("fresh");

    assertThat(MachineKey.load(machineDir)).isEmpty();
    assertThat(machineDir).doesNotExist();
  }

  @Test
  void protectedValue_opensOnTheSameMachine() throws Exception {
    MachineKey machine = MachineKey.loadOrCreate(temp);

    String value = machine.protect("masterKey", MASTER_KEY);

    assertThat(value).startsWith("sepia-machine:v1:" + machine.keyId() + ":");
    assertThat(MachineKey.looksProtected(value)).isTrue();
    assertThat(MachineKey.loadOrCreate(temp).unprotect("masterKey", value)).isEqualTo(MASTER_KEY);
  }

  @Test
  void copiedConfig_isRefusedOnAnotherMachine_namingBothKeys() throws Exception {
    MachineKey here = MachineKey.loadOrCreate(temp.resolve("machine-a"));
    MachineKey there = MachineKey.loadOrCreate(temp.resolve("machine-b"));
    String value = here.protect("masterKey", MASTER_KEY);

    assertThatThrownBy(() -> there.unprotect("masterKey", value))
        .isExactlyInstanceOf(ForeignMachineException.class)
        .hasMessage(
            "This value was protected on another machine (machine key "
                + here.keyId()
                + "); this machine's key is "
                + there.keyId()
                + " ("
                + there.file()
                + "). A config file copied from another machine cannot be opened here.");
  }

  @Test
  void valueProtectedForOnePurpose_doesNotOpenForAnother() throws Exception {
    MachineKey machine = MachineKey.loadOrCreate(temp);
    String value = machine.protect("masterKey", MASTER_KEY);

    assertThatThrownBy(() -> machine.unprotect("tentacleCertificate", value))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed");
  }

  @Test
  void tamperedValue_failsWithoutDetail() throws Exception {
    MachineKey machine = MachineKey.loadOrCreate(temp);
    String value = machine.protect("masterKey", MASTER_KEY);
    int last = value.length() - 3;
    String tampered =
        value.substring(0, last)
            + (value.charAt(last) == 'A' ? 'B' : 'A')
            + value.substring(last + 1);

    assertThatThrownBy(() -> machine.unprotect("masterKey", tampered))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasNoCause();
    assertThatThrownBy(() -> machine.unprotect("masterKey", "not protected"))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void damagedKeyFile_isReportedWithItsPath_andNotReplaced() throws Exception {
    Path file = temp.resolve("machine.key");
    Files.writeString(file, "not a key\n");

    assertThatThrownBy(() -> MachineKey.loadOrCreate(temp))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("damaged");
    assertThat(Files.readString(file)).isEqualTo("not a key\n");
  }

  @Test
  void toString_masksTheKey() throws Exception {
    MachineKey machine = MachineKey.loadOrCreate(temp);
    String content = Files.readString(machine.file()).strip();

    assertThat(machine.toString()).contains(machine.keyId(), "<masked>").doesNotContain(content);
  }

  @Test
  void looksProtected_recognisesOnlyTheFormat() {
    assertThat(MachineKey.looksProtected(null)).isFalse();
    assertThat(MachineKey.looksProtected("hunter2")).isFalse();
    assertThat(MachineKey.looksProtected("sepia-machine:v1:")).isFalse();
    assertThat(MachineKey.looksProtected("sepia-machine:v1:0123abcd:AAAA")).isTrue();
  }
}
