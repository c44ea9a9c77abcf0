package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket carrying RPC, whoever dialed: routes inbound messages to the calls and handlers
 * they belong to, keeps the connection alive with pings, and declares it dead when the peer falls
 * silent. Closing it, for any reason, fails everything in flight at once.
 */
final class Connection {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final Wire wire;
  private final String peer;
  private final CommsSettings settings;
  private final EndpointThreads threads;
  private final FrameSender sender;
  private final StreamTable streams = new StreamTable();
  private final CallerSide caller;
  private final CalleeSide callee;
  private final AtomicReference<String> closedReason = new AtomicReference<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final KeepAlive keepAlive;

  /**
   * @param peer names the other side in messages, e.g. "the Tentacle at 10.0.0.5:10933"
   * @param services what this side serves; empty on the caller's side
   */
  private Connection(
      Wire wire,
      String peer,
      RpcServices services,
      CommsSettings settings,
      EndpointThreads threads) {
    this.wire = wire;
    this.peer = peer;
    this.settings = settings;
    this.threads = threads;
    this.sender = new FrameSender(wire, settings.deadAfter(), this::abort, this::lostIfClosed);
    this.caller = new CallerSide(this);
    this.callee = new CalleeSide(this, services);
    this.keepAlive = new KeepAlive(wire, peer, settings, this::abort);
  }

  /** A connection over an open wire, already pinging. */
  static Connection open(
      Wire wire,
      String peer,
      RpcServices services,
      CommsSettings settings,
      EndpointThreads threads) {
    Connection connection = new Connection(wire, peer, services, settings, threads);
    if (!connection.keepAlive.start(threads.timer())) {
      connection.close("the endpoint is closing");
    }
    return connection;
  }

  /** Calls the peer; see {@link RpcChannel} for what the timeout covers. */
  RpcDownload call(
      String method,
      JsonNode params,
      InputStream upload,
      boolean download,
      Duration timeout,
      CallScope scope)
      throws RpcException {
    return caller.call(method, params, upload, download, timeout, scope);
  }

  String peer() {
    return peer;
  }

  boolean isOpen() {
    return closedReason.get() == null;
  }

  /** Calls waiting for an answer: how busy this connection is. */
  int inFlight() {
    return caller.inFlight();
  }

  /** Completes with the reason once the connection is closed. */
  CompletableFuture<String> closedFuture() {
    return closed;
  }

  // ---- inbound, called by the wire one message at a time ----

  void receivedTraffic() {
    keepAlive.touch();
  }

  void receivedText(String text) {
    receivedTraffic();
    Messages.Inbound message;
    try {
      message = Messages.parse(text);
    } catch (Messages.ProtocolViolation e) {
      abort(peer + " broke the protocol: " + e.getMessage());
      return;
    }
    switch (message) {
      case Messages.Request request -> callee.onRequest(request);
      case Messages.Response response -> caller.onResponse(response);
      case Messages.Credit credit -> {
        OutgoingBody body = streams.outgoing(credit.id());
        if (body != null) {
          body.grant(credit.chunks());
        }
      }
      case Messages.Cancel cancel -> callee.onCancel(cancel.id());
      case Messages.StreamError error -> {
        IncomingBody body = streams.removeIncoming(error.id());
        if (body != null) {
          body.fail(peer + " failed while sending: " + error.message());
        }
      }
    }
  }

  void receivedBinary(ByteBuffer frame) {
    receivedTraffic();
    UUID id;
    try {
      id = StreamFrames.id(frame);
    } catch (Messages.ProtocolViolation e) {
      abort(peer + " broke the protocol: " + e.getMessage());
      return;
    }
    IncomingBody body = streams.incoming(id);
    if (body == null) {
      return; // the reader gave up on this stream; chunks still in flight are dropped
    }
    if (!frame.hasRemaining()) {
      streams.removeIncoming(id);
      body.end();
    } else if (!body.offer(frame)) {
      streams.removeIncoming(id);
      body.fail(peer + " sent more data than it was granted room for");
    }
  }

  /** The wire closed or failed underneath us. */
  void transportClosed(String reason) {
    shutdown(reason, w -> {});
  }

  // ---- closing ----

  /** Closes politely, failing whatever is in flight. */
  void close(String reason) {
    shutdown(reason, w -> w.close(reason));
  }

  /** Drops the connection at once: the peer is dead or misbehaving. */
  void abort(String reason) {
    if (isOpen()) {
      log.warn("Dropping the connection to {}: {}", peer, reason);
    }
    shutdown(reason, Wire::abort);
  }

  private void shutdown(String reason, Consumer<Wire> closeWire) {
    if (!closedReason.compareAndSet(null, reason)) {
      return;
    }
    keepAlive.stop();
    String lost = "The connection to " + peer + " was lost: " + reason;
    caller.failAll(reason);
    callee.cancelAll();
    streams.failAll(lost);
    try {
      closeWire.accept(wire);
    } catch (RuntimeException e) {
      log.debug("Closing the socket to {} failed", peer, e);
    }
    closed.complete(reason);
  }

  // ---- shared with the caller and callee sides ----

  ConnectionLostException lostIfClosed() {
    String reason = closedReason.get();
    return reason == null
        ? null
        : new ConnectionLostException("The connection to " + peer + " is closed: " + reason);
  }

  FrameSender sender() {
    return sender;
  }

  StreamTable streams() {
    return streams;
  }

  CommsSettings settings() {
    return settings;
  }

  EndpointThreads threads() {
    return threads;
  }

  /** Sends a control message from another thread, never blocking the caller or the reader. */
  void sendLater(String text) {
    if (!isOpen()) {
      return;
    }
    try {
      threads
          .workers()
          .execute(
              () -> {
                try {
                  sender.sendText(text);
                } catch (RpcException e) {
                  log.debug("Could not send a control message to {}: {}", peer, e.getMessage());
                }
              });
    } catch (RejectedExecutionException e) {
      log.debug("Not sending a control message to {}: the endpoint is closing", peer);
    }
  }

  IncomingBody newIncomingBody(UUID id, String what, Runnable onAbandon) {
    return new IncomingBody(
        what + " from " + peer,
        settings.streamStallLimit(),
        chunks -> sender.sendText(Messages.credit(id, chunks)),
        onAbandon);
  }

  @Override
  public String toString() {
    return "Connection{" + peer + (isOpen() ? "" : ", closed: " + closedReason.get()) + "}";
  }
}
