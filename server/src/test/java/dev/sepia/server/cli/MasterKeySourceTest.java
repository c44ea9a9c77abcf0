package dev.sepia.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.KeyShare;
import dev.sepia.crypto.MasterKeyShares;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shares asked for at the terminal: one prompt per share, until the threshold is reached. */
class MasterKeySourceTest {
  private static final SymmetricKey KEY = SymmetricKey.generate();
  private final List<String> asked = new ArrayList<>();
  private final StringWriter err = new StringWriter();

  private MasterKeySource prompting(List<String> optionValues, String... typed) {
    Deque<String> answers = new ArrayDeque<>(List.of(typed));
    return new MasterKeySource(null, optionValues, "--shares", null, null, new PassphraseOptions())
        .withPrompt(
            (what, hint) -> {
              asked.add(what);
              return answers.removeFirst().toCharArray();
            });
  }

  private static List<String> lines(int shares, int threshold) {
    return MasterKeyShares.split(KEY, shares, threshold).stream().map(KeyShare::toLine).toList();
  }

  @Test
  void anOptionWithoutValue_asksForEachShare_untilTheThresholdIsReached() {
    List<String> shares = lines(5, 3);

    SymmetricKey key =
        prompting(List.of(""), shares.get(4), shares.get(0), shares.get(2))
            .resolve(Map.of(), new PrintWriter(err));

    assertThat(key.sameKeyAs(KEY)).isTrue();
    assertThat(asked).containsExactly("Share 1", "Share 2 of 3", "Share 3 of 3");
  }

  @Test
  void sharesGivenAsValues_andOneWithoutValue_askOnlyForTheRest() {
    List<String> shares = lines(5, 3);

    SymmetricKey key =
        prompting(List.of(shares.get(1), ""), shares.get(3), shares.get(4))
            .resolve(Map.of(), new PrintWriter(err));

    assertThat(key.sameKeyAs(KEY)).isTrue();
    assertThat(asked).containsExactly("Share 2 of 3", "Share 3 of 3");
  }

  @Test
  void aMistypedShareAtThePrompt_isNamedAndAskedAgain() {
    List<String> shares = lines(3, 2);
    String typo = shares.get(1).replace(":2:", ":3:");

    SymmetricKey key =
        prompting(List.of(""), shares.get(0), typo, shares.get(1))
            .resolve(Map.of(), new PrintWriter(err));

    assertThat(key.sameKeyAs(KEY)).isTrue();
    assertThat(asked).containsExactly("Share 1", "Share 2 of 2", "Share 2 of 2");
    assertThat(err.toString()).contains("Share 2 is mistyped").contains("Enter it again.");
  }

  @Test
  void threeMistakesAtThePrompt_endTheCommand_asBadUsage() {
    assertThatThrownBy(
            () ->
                prompting(List.of(""), "not a share", "nor this", "nor that")
                    .resolve(Map.of(), new PrintWriter(err)))
        .isInstanceOf(OperatorException.class)
        .hasMessageContaining("Share 1 is not a Sepia master key share")
        .extracting(e -> ((OperatorException) e).exitCode())
        .isEqualTo(2);
  }
}
