package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting a master key into shares and recombining it, as an operator would. */
class MasterKeySharesTest {
  private static final SymmetricKey KEY = SymmetricKey.generate();

  @Test
  void everyThreeOfFiveShares_recoverTheKey() {
    List<String> lines = lines(MasterKeyShares.split(KEY, 5, 3));
    int subsets = 0;
    for (List<String> subset : subsets(lines, 3)) {
      assertThat(MasterKeyShares.join(subset).sameKeyAs(KEY)).as("%s", subset).isTrue();
      subsets++;
    }
    assertThat(subsets).isEqualTo(10);
  }

  @Test
  void everyTwoOfFiveShares_areRefused_andWouldNotHaveGivenTheKey() {
    List<KeyShare> shares = MasterKeyShares.split(KEY, 5, 3);
    for (List<KeyShare> subset : subsets(shares, 2)) {
      assertThatThrownBy(() -> MasterKeyShares.joinShares(subset))
          .hasMessage("3 shares are needed, 2 were given.");
      // Even a caller that lied about the threshold gets nothing: the id check refuses the
      // different key that K−1 shares of Shamir produce.
      List<KeyShare> relabelled =
          subset.stream()
              .map(s -> new KeyShare(s.keyId(), 2, s.total(), s.index(), s.value()))
              .toList();
      assertThatThrownBy(() -> MasterKeyShares.joinShares(relabelled))
          .hasMessageContaining("do not recombine to master key " + KEY.keyId());
    }
  }

  @Test
  void allShares_recoverTheKey_andMoreThanNeededAreFine() {
    List<String> lines = lines(MasterKeyShares.split(KEY, 5, 3));
    assertThat(MasterKeyShares.join(lines).sameKeyAs(KEY)).isTrue();
    assertThat(MasterKeyShares.join(lines.subList(0, 4)).sameKeyAs(KEY)).isTrue();
  }

  @Test
  void aShareLine_describesItself() {
    KeyShare share = MasterKeyShares.split(KEY, 5, 3).get(1);
    assertThat(share.toLine())
        .matches("sepia-share:v1:" + KEY.keyId() + ":3-of-5:2:[A-Za-z0-9_-]{43}:[0-9a-f]{8}");
    KeyShare parsed = KeyShare.parse("  " + share.toLine() + "\n");
    assertThat(parsed.keyId()).isEqualTo(KEY.keyId());
    assertThat(parsed.index()).isEqualTo(2);
    assertThat(parsed.split()).isEqualTo("3-of-5");
  }

  @Test
  void aShare_redactsItselfInToString() {
    KeyShare share = MasterKeyShares.split(KEY, 3, 2).get(0);
    String secretPart = share.toLine().split(":")[5];
    assertThat(share.toString())
        .isEqualTo("KeyShare{key=" + KEY.keyId() + ", 2-of-3, #1, <masked>}")
        .doesNotContain(secretPart);
  }

  @Test
  void aMistypedCharacter_namesTheShare() {
    List<String> lines = new ArrayList<>(lines(MasterKeyShares.split(KEY, 5, 3)));
    String second = lines.get(1);
    int at = second.indexOf(":3-of-5:") + 12; // inside the share bytes
    char changed = second.charAt(at) == 'A' ? 'B' : 'A';
    lines.set(1, second.substring(0, at) + changed + second.substring(at + 1));

    assertThatThrownBy(() -> MasterKeyShares.join(lines.subList(0, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Share 2 is mistyped")
        .hasMessageNotContaining(second.split(":")[5]);
  }

  @Test
  void aLeftOutOrAddedCharacter_anywhere_isCaught() {
    String line = MasterKeyShares.split(KEY, 2, 2).get(0).toLine();
    for (int i = "sepia-share:".length(); i < line.length(); i++) {
      String dropped = line.substring(0, i) + line.substring(i + 1);
      String added = line.substring(0, i) + "7" + line.substring(i);
      for (String bad : List.of(dropped, added)) {
        assertThatThrownBy(() -> KeyShare.parse(bad))
            .as("changed at %d", i)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void somethingElse_isNotTakenForAShare() {
    assertThatThrownBy(() -> KeyShare.parse(InsecureKeyAccess.toBase64(KEY)))
        .hasMessageContaining("is not a Sepia master key share");
    assertThatThrownBy(() -> KeyShare.parse("")).hasMessage("The share is empty.");
    assertThatThrownBy(() -> KeyShare.parse("sepia-share:")).hasMessageContaining("is mistyped");
    assertThatThrownBy(() -> KeyShare.parse("sepia-share:v2:whatever"))
        .hasMessageContaining("newer format (v2)");
  }

  @Test
  void sharesOfDifferentKeys_areRefused() {
    SymmetricKey other = SymmetricKey.generate();
    List<String> lines =
        List.of(
            MasterKeyShares.split(KEY, 3, 2).get(0).toLine(),
            MasterKeyShares.split(other, 3, 2).get(1).toLine());
    assertThatThrownBy(() -> MasterKeyShares.join(lines))
        .hasMessageContaining("belong to different master keys")
        .hasMessageContaining(KEY.keyId())
        .hasMessageContaining(other.keyId());
  }

  @Test
  void sharesOfDifferentSplits_areRefused() {
    List<String> lines =
        List.of(
            MasterKeyShares.split(KEY, 5, 3).get(0).toLine(),
            MasterKeyShares.split(KEY, 3, 2).get(1).toLine(),
            MasterKeyShares.split(KEY, 5, 3).get(2).toLine());
    assertThatThrownBy(() -> MasterKeyShares.join(lines))
        .hasMessageContaining("different splits (3-of-5 and 2-of-3)");
  }

  @Test
  void sharesOfTwoRunsWithTheSameShape_areRefused_notTurnedIntoAnotherKey() {
    List<KeyShare> first = MasterKeyShares.split(KEY, 3, 2);
    List<KeyShare> second = MasterKeyShares.split(KEY, 3, 2);
    assertThatThrownBy(() -> MasterKeyShares.joinShares(List.of(first.get(0), second.get(1))))
        .hasMessageContaining("do not recombine to master key " + KEY.keyId())
        .hasMessageContaining("printed together");
  }

  @Test
  void theSameShareTwice_isRefused() {
    List<String> lines = lines(MasterKeyShares.split(KEY, 5, 3));
    assertThatThrownBy(
            () -> MasterKeyShares.join(List.of(lines.get(1), lines.get(0), lines.get(1))))
        .hasMessage(
            "Shares 1 and 3 are the same share (number 2 of 5): 3 different shares are needed.");
  }

  @Test
  void noShares_areRefused() {
    assertThatThrownBy(() -> MasterKeyShares.join(List.of())).hasMessage("No shares were given.");
  }

  @Test
  void impossibleSplits_areRefusedWithTheRule() {
    for (int[] bad : new int[][] {{5, 1}, {3, 4}, {256, 3}, {1, 1}, {0, 0}}) {
      assertThatThrownBy(() -> MasterKeyShares.split(KEY, bad[0], bad[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("threshold must be between 2 and the number of shares");
    }
    assertThat(MasterKeyShares.split(KEY, 255, 255)).hasSize(255);
    assertThat(MasterKeyShares.split(KEY, 2, 2)).hasSize(2);
  }

  static List<String> lines(List<KeyShare> shares) {
    return shares.stream().map(KeyShare::toLine).toList();
  }

  static <T> List<List<T>> subsets(List<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    collect(items, size, 0, new ArrayList<>(), out);
    return out;
  }

  private static <T> void collect(
      List<T> items, int size, int from, List<T> current, List<List<T>> out) {
    if (current.size() == size) {
      out.add(List.copyOf(current));
      return;
    }
    for (int i = from; i < items.size(); i++) {
      current.add(items.get(i));
      collect(items, size, i + 1, current, out);
      current.remove(current.size() - 1);
    }
  }
}
