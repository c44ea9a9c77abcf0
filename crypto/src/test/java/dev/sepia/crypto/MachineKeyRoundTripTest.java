package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotBlank;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class MachineKeyRoundTripTest {

  private static Path machineDir;
  private static MachineKey machine;

  @BeforeContainer
  static void createMachine() throws IOException {
    machineDir = Files.createTempDirectory("sepia-machine");
    machine = MachineKey.loadOrCreate(machineDir);
  }

  @AfterContainer
  static void removeMachine() throws IOException {
    try (Stream<Path> paths = Files.walk(machineDir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Property(tries = 300)
  void anyBytes_roundTrip(@ForAll @Size(max = 2000) byte[] secret, @ForAll @NotBlank String purpose)
      throws Exception {
    String value = machine.protect(purpose, secret);

    assertThat(MachineKey.looksProtected(value)).isTrue();
    assertThat(machine.unprotect(purpose, value)).isEqualTo(secret);
  }

  @Property(tries = 300)
  void anyString_roundTrip(@ForAll String secret) throws Exception {
    String value = machine.protect("secret", secret.getBytes(StandardCharsets.UTF_8));

    assertThat(new String(machine.unprotect("secret", value), StandardCharsets.UTF_8))
        .isEqualTo(secret);
  }
}
