package dev.sepia.variables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever text surrounds a secret, the masked line does not contain it. */
class LogMaskerPropertyTest {

  /**
   * Any single-line secret that is not blank. Secrets made of the mask's own '*' are left out: a
   * mask could then spell the secret again (documented on LogMasker).
   */
  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings()
        .all()
        .excludeChars('*', '\n', '\r')
        .ofMinLength(1)
        .ofMaxLength(30)
        .filter(s -> !s.isBlank());
  }

  @Property(tries = 1000)
  void aSecretNeverSurvivesMasking(
      @ForAll("secrets") String secret, @ForAll String before, @ForAll String after) {
    String line = before + secret + after;
    assertThat(new LogMasker(List.of(secret)).mask(line)).doesNotContain(secret);
  }

  @Property(tries = 500)
  void noneOfSeveralSecretsSurvivesMasking(
      @ForAll @Size(min = 1, max = 5) List<@net.jqwik.api.From("secrets") String> secrets,
      @ForAll @Size(min = 1, max = 6) List<String> gaps) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < gaps.size(); i++) {
      line.append(gaps.get(i)).append(secrets.get(i % secrets.size()));
    }
    String masked = new LogMasker(secrets).mask(line.toString());
    assertThat(secrets).allSatisfy(secret -> assertThat(masked).doesNotContain(secret));
  }
}
