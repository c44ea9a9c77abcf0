package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** For any key and any split, K shares in any order give the key back and K−1 never do. */
class MasterKeySharesPropertyTest {
  record Split(int shares, int threshold, long seed) {}

  @Provide
  Arbitrary<Split> splits() {
    Arbitrary<Integer> shares = Arbitraries.integers().between(2, 255);
    return shares.flatMap(
        n ->
            Combinators.combine(Arbitraries.integers().between(2, n), Arbitraries.longs())
                .as((k, seed) -> new Split(n, k, seed)));
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(SymmetricKey.LENGTH_BYTES);
  }

  @Property(tries = 200)
  void anyKSharesInAnyOrder_recoverTheKey_andKMinusOneDoNot(
      @ForAll("keys") byte[] raw, @ForAll("splits") Split split) {
    SymmetricKey key = SymmetricKey.fromBytes(raw);
    List<KeyShare> shares =
        new ArrayList<>(MasterKeyShares.split(key, split.shares(), split.threshold()));
    Collections.shuffle(shares, new Random(split.seed()));

    List<String> enough =
        shares.subList(0, split.threshold()).stream().map(KeyShare::toLine).toList();
    assertThat(MasterKeyShares.join(enough).sameKeyAs(key)).isTrue();

    List<String> tooFew = enough.subList(0, split.threshold() - 1);
    assertThatThrownBy(() -> MasterKeyShares.join(tooFew))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(split.threshold() + " shares are needed, ");
  }
}
