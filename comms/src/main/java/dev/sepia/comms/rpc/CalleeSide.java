package dev.sepia.comms.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the requests that arrive on one connection, each on its own virtual thread. */
final class CalleeSide {

  private static final Logger log = LoggerFactory.getLogger(CalleeSide.class);

  /** A request being served; the caller may cancel it. */
  private static final class Serving {
    volatile boolean cancelled;
  }

  private final Connection connection;
  private final RpcServices services;
  private final ConcurrentMap<UUID, Serving> serving = new ConcurrentHashMap<>();

  CalleeSide(Connection connection, RpcServices services) {
    this.connection = connection;
    this.services = services;
  }

  void onRequest(Messages.Request request) {
    UUID id = request.id();
    StreamTable streams = connection.streams();
    // Registered now, on the reading thread, so that no chunk that follows can miss it.
    IncomingBody body =
        request.bodyFollows()
            ? streams.addIncoming(
                id,
                connection.newIncomingBody(
                    id,
                    "the data for '" + request.method() + "'",
                    () -> streams.removeIncoming(id)))
            : null;
    Serving state = new Serving();
    serving.put(id, state);
    try {
      connection.threads().workers().execute(() -> serve(request, body, state));
    } catch (RejectedExecutionException e) {
      serving.remove(id);
      if (body != null) {
        streams.removeIncoming(id);
        body.discard();
      }
    }
  }

  void onCancel(UUID id) {
    Serving state = serving.get(id);
    if (state != null) {
      state.cancelled = true;
    }
    OutgoingBody out = connection.streams().outgoing(id);
    if (out != null) {
      out.stop();
    }
    IncomingBody in = connection.streams().removeIncoming(id);
    if (in != null) {
      in.fail("The caller cancelled the request");
    }
  }

  void cancelAll() {
    serving.values().forEach(state -> state.cancelled = true);
  }

  private void serve(Messages.Request request, IncomingBody body, Serving state) {
    UUID id = request.id();
    try {
      RpcReply reply;
      try {
        InputStream in = body == null ? InputStream.nullInputStream() : body;
        reply = services.dispatch(request.method(), request.params(), in);
      } catch (Throwable failure) {
        answerFailure(request, failure);
        return;
      } finally {
        if (body != null) {
          connection.streams().removeIncoming(id);
          body.discard(); // whatever the handler left unread is not wanted
        }
      }
      answer(request, reply, state);
    } finally {
      serving.remove(id);
    }
  }

  private void answer(Messages.Request request, RpcReply reply, Serving state) {
    UUID id = request.id();
    try (InputStream replyBody = reply.body()) {
      if (state.cancelled) {
        return;
      }
      FrameSender sender = connection.sender();
      if (replyBody == null) {
        sender.sendText(Messages.result(id, reply.result(), false));
        return;
      }
      OutgoingBody out = connection.streams().addOutgoing(id);
      try {
        sender.sendText(Messages.result(id, reply.result(), true));
        if (state.cancelled) {
          out.stop();
        }
        String what = "the data of '" + request.method() + "' for " + connection.peer();
        out.pump(id, replyBody, sender, connection.settings().streamStallLimit(), what);
      } finally {
        connection.streams().removeOutgoing(id);
      }
    } catch (IOException e) {
      log.debug(
          "Could not answer '{}' to {}: {}", request.method(), connection.peer(), e.toString());
    }
  }

  private void answerFailure(Messages.Request request, Throwable failure) {
    String type;
    String message = failure.getMessage();
    if (!connection.isOpen()) {
      // Interrupted by the shutdown that closed the connection: nobody is left to tell.
      log.debug(
          "'{}' for {} ended with the connection: {}",
          request.method(),
          connection.peer(),
          failure.toString());
      return;
    }
    if (failure instanceof RpcFault fault) {
      type = fault.type();
      log.debug("'{}' for {} answered {}: {}", request.method(), connection.peer(), type, message);
    } else {
      type = failure.getClass().getSimpleName();
      if (type.isEmpty()) {
        type = failure.getClass().getName();
      }
      log.warn("'{}' failed for {}", request.method(), connection.peer(), failure);
    }
    try {
      connection
          .sender()
          .sendText(Messages.error(request.id(), type, message == null ? type : message));
    } catch (RpcException e) {
      log.debug("Could not report the failure of '{}': {}", request.method(), e.getMessage());
    }
  }
}
