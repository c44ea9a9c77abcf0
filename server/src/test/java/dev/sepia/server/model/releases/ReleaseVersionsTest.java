package dev.sepia.server.model.releases;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The version a release gets when none is given, and which versions are accepted. */
class ReleaseVersionsTest {

  @Test
  void firstRelease_isZeroZeroOne() {
    assertThat(ReleaseVersions.next(null)).isEqualTo("0.0.1");
  }

  @ParameterizedTest(name = "after {0} comes {1}")
  @CsvSource({
    "1.2.9, 1.2.10",
    "0.0.1, 0.0.2",
    "1.0.0, 1.0.1",
    "1.9.99, 1.9.100",
    "7, 8",
    "1.0.0-beta1, 1.0.0-beta2",
    "1.0.0-beta9, 1.0.0-beta10",
    "2.0.0-rc.1, 2.0.0-rc.2",
    "1.0.0+build7, 1.0.0+build8",
    "1.0.0-beta, 1.0.1-beta",
    "release, release.1",
    "99999999999999999999, 100000000000000000000",
  })
  void next_incrementsTheLastNumber(String latest, String expected) {
    assertThat(ReleaseVersions.next(latest)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0.0", "0.0.1", "1.0.0-beta1", "2024.05.01+build.3", "v1"})
  void valid(String version) {
    assertThat(ReleaseVersions.isValid(version)).isTrue();
    assertThat(ReleaseVersions.isValid(ReleaseVersions.next(version))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " 1.0", "1.0 beta", "-1.0", ".1", "1/0", "1.0;rm"})
  void invalid(String version) {
    assertThat(ReleaseVersions.isValid(version)).isFalse();
  }

  @Test
  void invalid_nullAndTooLong() {
    assertThat(ReleaseVersions.isValid(null)).isFalse();
    assertThat(ReleaseVersions.isValid("1".repeat(100))).isTrue();
    assertThat(ReleaseVersions.isValid("1".repeat(101))).isFalse();
  }
}
