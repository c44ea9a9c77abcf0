package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class FieldCipherRoundTripTest {

  private final Keyring ring = Keyring.of(SymmetricKey.generate());

  @Property(tries = 300)
  void anyBytes_roundTrip(
      @ForAll @Size(max = 2000) byte[] plaintext,
      @ForAll @StringLength(min = 1, max = 40) String rowId)
      throws Exception {
    FieldLocation where = location(rowId);

    String sealed = FieldCipher.seal(ring, where, plaintext);

    assertThat(FieldCipher.looksSealed(sealed)).isTrue();
    assertThat(FieldCipher.open(ring, where, sealed)).isEqualTo(plaintext);
  }

  @Property(tries = 300)
  void anyString_roundTrip(@ForAll String plaintext) throws Exception {
    FieldLocation where = new FieldLocation("variable", "sensitive_value", "Variables-1");

    assertThat(FieldCipher.openString(ring, where, FieldCipher.sealString(ring, where, plaintext)))
        .isEqualTo(plaintext);
  }

  // Generated row ids may be blank or hold NUL, which FieldLocation rightly refuses.
  private static FieldLocation location(String rowId) {
    String usable = rowId.replace('\0', '0');
    return new FieldLocation("deployment", "secret", usable.isBlank() ? "row" + usable : usable);
  }
}
