package dev.sepia.comms.rpc;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A request sent and not yet answered, on the caller's side. */
final class PendingCall {

  private final UUID id;
  private final String method;
  private final CompletableFuture<Messages.Response> outcome = new CompletableFuture<>();

  PendingCall(UUID id, String method) {
    this.id = id;
    this.method = method;
  }

  UUID id() {
    return id;
  }

  String method() {
    return method;
  }

  boolean isDone() {
    return outcome.isDone();
  }

  void answer(Messages.Response response) {
    outcome.complete(response);
  }

  void fail(RpcException failure) {
    outcome.completeExceptionally(failure);
  }

  /** The response, which may be an error response; the caller turns those into exceptions. */
  Messages.Response await(Duration timeout, String peer) throws RpcException {
    try {
      return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new RpcTimeoutException(
          "'" + method + "' got no answer from " + peer + " within " + Durations.format(timeout));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RpcException failure) {
        throw failure;
      }
      throw new RpcException("'" + method + "' failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException("Interrupted while waiting for '" + method + "' on " + peer);
    }
  }
}
