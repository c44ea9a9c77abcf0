package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What both kinds of channel share: calls go over whichever connection the subclass supplies, and
 * closing the channel fails its own calls still in flight.
 */
abstract class ChannelBase implements RpcChannel, CallScope {

  private final Set<PendingCall> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A live connection to the Tentacle, waiting or dialing as the kind of channel needs. */
  protected abstract Connection connection() throws RpcException;

  /** Names the Tentacle in messages. */
  protected abstract String describe();

  /** Releases what the subclass holds, after in-flight calls have been failed. */
  protected abstract void release();

  @Override
  public JsonNode call(String method, JsonNode params, Duration timeout) throws RpcException {
    return exchange(method, params, null, false, timeout).result();
  }

  @Override
  public JsonNode upload(String method, JsonNode params, InputStream body, Duration timeout)
      throws RpcException {
    Objects.requireNonNull(body, "body");
    return exchange(method, params, body, false, timeout).result();
  }

  @Override
  public RpcDownload download(String method, JsonNode params, Duration timeout)
      throws RpcException {
    return exchange(method, params, null, true, timeout);
  }

  private RpcDownload exchange(
      String method, JsonNode params, InputStream body, boolean download, Duration timeout)
      throws RpcException {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("A call timeout must be positive: " + timeout);
    }
    if (closed) {
      throw closedException(method);
    }
    return connection().call(method, params, body, download, timeout, this);
  }

  @Override
  public void enter(PendingCall call) {
    inFlight.add(call);
    if (closed) {
      call.fail(closedException(call.method()));
    }
  }

  @Override
  public void exit(PendingCall call) {
    inFlight.remove(call);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (PendingCall call : inFlight) {
      call.fail(closedException(call.method()));
    }
    release();
  }

  private ConnectionLostException closedException(String method) {
    return new ConnectionLostException(
        "The channel to " + describe() + " was closed with '" + method + "' in flight");
  }
}
