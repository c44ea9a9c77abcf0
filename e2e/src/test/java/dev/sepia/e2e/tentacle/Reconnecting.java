package dev.sepia.e2e.tentacle;

import dev.sepia.comms.rpc.ConnectionLostException;
import dev.sepia.comms.rpc.UnreachableException;
import java.io.IOException;
import java.time.Duration;

/**
 * Repeats a call that is safe to repeat (a status, a start by ticket, an upload) while the
 * connection to the Tentacle is down, as the server does: a lost or unreachable connection is
 * retried until the deadline; any other failure is the answer.
 */
public final class Reconnecting {
  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private Reconnecting() {}

  /** A call to the Tentacle. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws IOException;
  }

  public static <T> T call(Duration within, Call<T> call) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        return call.call();
      } catch (ConnectionLostException | UnreachableException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("The Tentacle could not be reached again within " + within, e);
        }
        Waits.pause(RETRY_PAUSE);
      }
    }
  }
}
