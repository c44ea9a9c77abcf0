package dev.sepia.comms.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Reconnect delays: growing, capped, jittered, and reset after a healthy connection. */
class BackoffTest {

  private final Backoff backoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1));

  @Test
  void delays_doubleFromHalfASecond_upToThirtySeconds_eachBetweenHalfAndAllOfItsStep() {
    long step = 500;
    for (int i = 0; i < 12; i++) {
      long delay = backoff.next().toMillis();
      assertThat(delay).isBetween(step / 2, step);
      step = Math.min(30_000, step * 2);
    }
  }

  @Test
  void manyTentaclesRefusedAtOnce_doNotAllComeBackAtTheSameMoment() {
    List<Long> firstDelays = new ArrayList<>();
    for (int seed = 0; seed < 50; seed++) {
      firstDelays.add(
          new Backoff(Duration.ofSeconds(8), Duration.ofSeconds(30), new SplittableRandom(seed))
              .next()
              .toMillis());
    }

    assertThat(firstDelays.stream().distinct().count()).isGreaterThan(40);
  }

  @Test
  void reset_startsOverFromTheInitialDelay() {
    for (int i = 0; i < 8; i++) {
      backoff.next();
    }
    backoff.reset();

    assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofMillis(500));
  }
}
