package dev.sepia.variables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hiding secrets in task log lines. */
class LogMaskerTest {

  @ParameterizedTest(name = "[{0}] in \"{1}\" → \"{2}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        // secrets (;)     | line                          | masked
        "hunter2           | password is hunter2           | password is ********",
        "hunter2           | hunter2hunter2 and hunter2    | ******** and ********",
        "hunter2           | nothing here                  | nothing here",
        "abcd;cdef         | xabcdefy                      | x********y",
        "pass;password     | my password, my pass          | my ********, my ********",
        "aaa               | aaaaa                         | ********",
        "ab;cd             | abcd                          | ********",
        "ab;cd             | ab-cd                         | ********-********",
        "Secret            | secret SECRET Secret          | secret SECRET ********",
        "ü✓                | aü✓b                          | a********b",
      })
  void everyOccurrenceOfEverySecretIsHidden(String secrets, String line, String masked) {
    LogMasker masker = new LogMasker(List.of(secrets.split(";")));
    assertThat(masker.mask(line)).isEqualTo(masked);
  }

  @Test
  void aMultiLineSecretIsMaskedLineByLine() {
    String key = "-----BEGIN KEY-----\r\nMIIEvQIBADANBg\nkqhkiG9w0BAQEF\n\n-----END KEY-----";
    LogMasker masker = new LogMasker(List.of(key));
    assertThat(key.lines().map(masker::mask).toList())
        .containsExactly("********", "********", "********", "", "********");
    assertThat(masker.mask("got kqhkiG9w0BAQEF back")).isEqualTo("got ******** back");
  }

  @Test
  void emptyAndBlankSecretsAreIgnored() {
    LogMasker masker = new LogMasker(java.util.Arrays.asList("", "   ", null, "x1"));
    assertThat(masker.mask("a  b   c x1")).isEqualTo("a  b   c ********");
    assertThat(masker.mask("")).isEmpty();
  }

  @Test
  void withAddsSecretsAndLeavesTheOriginalAlone() {
    LogMasker first = new LogMasker(List.of("one"));
    LogMasker both = first.with(List.of("two"));
    assertThat(both.mask("one two")).isEqualTo("******** ********");
    assertThat(first.mask("one two")).isEqualTo("******** two");
  }

  @Test
  void oneMaskerServesManyThreads() {
    LogMasker masker = new LogMasker(List.of("s3cr3t", "t0k3n"));
    List<String> masked =
        IntStream.range(0, 10_000)
            .parallel()
            .mapToObj(i -> masker.mask(i + " s3cr3t " + i + " t0k3n"))
            .toList();
    assertThat(masked)
        .allSatisfy(
            line -> assertThat(line).doesNotContain("s3cr3t", "t0k3n").contains("********"));
  }
}
