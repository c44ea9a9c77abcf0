package dev.sepia.comms.rpc;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends messages one at a time, each waited for. Waiting bounds the memory a fast sender can pile
 * up, and the fair lock lets a small request slip in between the chunks of a large stream. A send
 * that does not complete within the dead-connection limit means the peer stopped reading: the
 * connection is declared dead rather than left hanging.
 */
final class FrameSender {

  private final Wire wire;
  private final Duration stallLimit;
  private final Consumer<String> onStall;
  private final Supplier<ConnectionLostException> whenClosed;
  private final ReentrantLock lock = new ReentrantLock(true);

  /**
   * @param onStall called with a reason when a send stalls or fails; it must close the connection
   * @param whenClosed the exception to throw once the connection is closed
   */
  FrameSender(
      Wire wire,
      Duration stallLimit,
      Consumer<String> onStall,
      Supplier<ConnectionLostException> whenClosed) {
    this.wire = wire;
    this.stallLimit = stallLimit;
    this.onStall = onStall;
    this.whenClosed = whenClosed;
  }

  void sendText(String text) throws ConnectionLostException {
    send(() -> wire.sendText(text));
  }

  void sendBinary(ByteBuffer frame) throws ConnectionLostException {
    send(() -> wire.sendBinary(frame));
  }

  private void send(Supplier<CompletableFuture<?>> operation) throws ConnectionLostException {
    boolean interrupted = false;
    boolean locked = false;
    try {
      // Waits at most about two stall limits: one for the holder's send, one of slack.
      long deadline = System.nanoTime() + 2 * stallLimit.toNanos();
      while (!locked) {
        try {
          locked = lock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (!locked) {
            onStall.accept(
                "no send could start within " + Durations.format(stallLimit.multipliedBy(2)));
            throw lost();
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      ConnectionLostException closed = whenClosed.get();
      if (closed != null) {
        throw closed;
      }
      CompletableFuture<?> sent;
      try {
        sent = operation.get();
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e); // a socket closing under us may throw at once
      }
      interrupted |= awaitSent(sent);
    } finally {
      if (locked) {
        lock.unlock();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // Uninterruptible: releasing the lock before the send completes would break the next send.
  private boolean awaitSent(CompletableFuture<?> sent) throws ConnectionLostException {
    boolean interrupted = false;
    long deadline = System.nanoTime() + stallLimit.toNanos();
    while (true) {
      try {
        sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return interrupted;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (TimeoutException e) {
        onStall.accept("a send did not complete within " + Durations.format(stallLimit));
        throw lost();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        onStall.accept("sending failed: " + cause);
        throw lost();
      }
    }
  }

  private ConnectionLostException lost() {
    ConnectionLostException closed = whenClosed.get();
    return closed != null ? closed : new ConnectionLostException("The connection failed");
  }
}
