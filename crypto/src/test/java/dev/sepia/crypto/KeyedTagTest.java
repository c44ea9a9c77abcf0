package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A tag passes only for the same key, purpose and bytes. */
class KeyedTagTest {
  private static final String PURPOSE = "backup-manifest";
  private final SymmetricKey key = SymmetricKey.generate();
  private final byte[] data = "{\"format\":\"sepia-backup\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void aTag_matchesTheBytesItWasMadeFor_andNamesItsKey() {
    String tag = KeyedTag.create(key, PURPOSE, data);

    assertThat(tag).startsWith("sepia-tag:v1:" + key.keyId() + ":");
    assertThat(KeyedTag.keyIdOf(tag)).isEqualTo(key.keyId());
    assertThat(KeyedTag.matches(tag, key, PURPOSE, data)).isTrue();
  }

  @Test
  void oneChangedByte_anotherKey_orAnotherPurpose_doNotMatch() {
    String tag = KeyedTag.create(key, PURPOSE, data);
    byte[] changed = data.clone();
    changed[3] ^= 1;

    assertThat(KeyedTag.matches(tag, key, PURPOSE, changed)).isFalse();
    assertThat(KeyedTag.matches(tag, SymmetricKey.generate(), PURPOSE, data)).isFalse();
    assertThat(KeyedTag.matches(tag, key, "another-purpose", data)).isFalse();
  }

  @Test
  void aTagDoesNotRevealTheKey_andIsNotThePlainHmacOfTheMasterKey() throws Exception {
    String tag = KeyedTag.create(key, PURPOSE, data);
    javax.crypto.Mac plain = javax.crypto.Mac.getInstance("HmacSHA256");
    plain.init(new javax.crypto.spec.SecretKeySpec(InsecureKeyAccess.rawBytes(key), "HmacSHA256"));
    String direct = java.util.Base64.getEncoder().encodeToString(plain.doFinal(data));

    assertThat(tag).doesNotContain(InsecureKeyAccess.toBase64(key)).doesNotContain(direct);
  }

  @Test
  void malformedTags_doNotMatch() {
    String tag = KeyedTag.create(key, PURPOSE, data);

    assertThat(KeyedTag.matches(null, key, PURPOSE, data)).isFalse();
    assertThat(KeyedTag.matches("", key, PURPOSE, data)).isFalse();
    assertThat(KeyedTag.matches(tag.substring(0, tag.length() - 4), key, PURPOSE, data)).isFalse();
    assertThat(KeyedTag.matches(tag + "AAAA", key, PURPOSE, data)).isFalse();
    assertThat(KeyedTag.matches("sepia-tag:v1:nothex!!:AAAA", key, PURPOSE, data)).isFalse();
    assertThat(KeyedTag.keyIdOf("sepia-verifier:v1:abc")).isNull();
  }
}
