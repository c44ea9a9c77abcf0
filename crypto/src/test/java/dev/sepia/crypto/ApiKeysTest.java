package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void apiKey_isPrefixedBase32_easyToRecogniseInALeak() {
    assertThat(ApiKeys.generate()).matches("API-[A-Z2-7]{32}");
  }

  @Test
  void apiKeys_areUnique() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(ApiKeys.generate());
    }

    assertThat(keys).hasSize(1000);
  }

  @Test
  void storedHash_matchesItsKey_only() {
    String key = ApiKeys.generate();
    String stored = ApiKeys.hash(key);

    assertThat(stored).matches("sha256:[0-9a-f]{64}").doesNotContain(key.substring(4));
    assertThat(ApiKeys.matches(key, stored)).isTrue();
    assertThat(ApiKeys.matches(ApiKeys.generate(), stored)).isFalse();
    assertThat(ApiKeys.matches(key.toLowerCase(), stored)).isFalse();
  }

  @Test
  void malformedStoredHash_matchesNothing() {
    String key = ApiKeys.generate();

    assertThat(ApiKeys.matches(key, null)).isFalse();
    assertThat(ApiKeys.matches(null, ApiKeys.hash(key))).isFalse();
    assertThat(ApiKeys.matches(key, "")).isFalse();
    assertThat(ApiKeys.matches(key, ApiKeys.hash(key).toUpperCase())).isFalse();
  }

  @Test
  void hash_isSha256OfTheKey() {
    // SHA-256("abc") from FIPS 180-2.
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void base32_followsRfc4648() {
    assertThat(ApiKeys.base32("fooba".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTB");
    assertThat(ApiKeys.base32(new byte[] {-1, -1, -1, -1, -1})).isEqualTo("77777777");
  }
}
