package dev.sepia.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.DecryptionFailedException;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BarrierTest {
  private static final EncryptedField FIELD =
      EncryptedFieldCatalogue.SERVER_CERTIFICATE_PRIVATE_KEY;
  private static final EncryptedField OTHER_COLUMN =
      new EncryptedField("server_certificate", "other", "id", "subject", "Test", "other column");

  @Test
  void sealedBarrier_refusesWithAnOperatorMessage() {
    assertThatThrownBy(() -> Barrier.sealed().seal(FIELD, "server", "x"))
        .isInstanceOf(SealedException.class)
        .hasMessageContaining("lost-master-key");
  }

  @Test
  void valueMovedToAnotherRowOrColumn_doesNotOpen() throws Exception {
    Barrier barrier = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));
    String sealed = barrier.seal(FIELD, "server", "private key bytes");
    assertThat(barrier.openString(FIELD, "server", sealed)).isEqualTo("private key bytes");
    assertThatThrownBy(() -> barrier.open(FIELD, "server-2", sealed))
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> barrier.open(OTHER_COLUMN, "server", sealed))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void toString_neverShowsKeyMaterial() {
    SymmetricKey key = SymmetricKey.generate();
    String text = Barrier.unsealed(Keyring.of(key)).toString();
    assertThat(text)
        .contains(key.keyId())
        .doesNotContain(dev.sepia.crypto.InsecureKeyAccess.toBase64(key));
  }

  /** The barrier (through the crypto module) is the only encryption in the server. */
  @Test
  void noServerCodeOutsideTheBarrierUsesJavaxCrypto() throws IOException {
    Path sources = Path.of("src/main/java");
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(sources)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p -> {
                    try {
                      String text = Files.readString(p);
                      boolean usesFieldCipher =
                          text.contains("FieldCipher.seal") || text.contains("FieldCipher.open");
                      return text.contains("javax.crypto")
                          || (usesFieldCipher && !p.endsWith("Barrier.java"));
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertThat(offenders).isEmpty();
  }
}
