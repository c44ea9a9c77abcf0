package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The calls this side has made on one connection and is waiting for. */
final class CallerSide {

  private final Connection connection;
  private final ConcurrentMap<UUID, PendingCall> pending = new ConcurrentHashMap<>();

  CallerSide(Connection connection) {
    this.connection = connection;
  }

  RpcDownload call(
      String method,
      JsonNode params,
      InputStream upload,
      boolean download,
      Duration timeout,
      CallScope scope)
      throws RpcException {
    UUID id = UUID.randomUUID();
    StreamTable streams = connection.streams();
    PendingCall call = new PendingCall(id, method);
    // Registered before the request goes out: the answer can arrive before send() returns.
    IncomingBody body =
        download
            ? streams.addIncoming(
                id,
                connection.newIncomingBody(
                    id,
                    "the data of '" + method + "'",
                    () -> {
                      streams.removeIncoming(id);
                      connection.sendLater(Messages.cancel(id));
                    }))
            : null;
    OutgoingBody out = upload != null ? streams.addOutgoing(id) : null;
    pending.put(id, call);
    scope.enter(call);
    boolean handedOver = false;
    try {
      connection.sender().sendText(Messages.request(id, method, params, upload != null));
      if (out != null) {
        String what = "the data for '" + method + "' to " + connection.peer();
        out.pump(id, upload, connection.sender(), connection.settings().streamStallLimit(), what);
      }
      Messages.Response response = call.await(timeout, connection.peer());
      if (response.failed()) {
        throw new RemoteException(
            response.errorType(),
            response.message(),
            "'" + method + "' failed on " + connection.peer());
      }
      if (response.bodyFollows() && body == null) {
        connection.sendLater(Messages.cancel(id)); // a stream nobody asked for
      }
      handedOver = response.bodyFollows() && body != null;
      return new RpcDownload(response.result(), handedOver ? body : null);
    } catch (RpcTimeoutException e) {
      connection.sendLater(Messages.cancel(id));
      throw e;
    } finally {
      pending.remove(id);
      scope.exit(call);
      if (out != null) {
        out.stop();
        streams.removeOutgoing(id);
      }
      if (body != null && !handedOver) {
        streams.removeIncoming(id);
        body.discard();
      }
    }
  }

  void onResponse(Messages.Response response) {
    PendingCall call = pending.get(response.id());
    if (call == null) {
      if (response.bodyFollows()) {
        connection.sendLater(Messages.cancel(response.id())); // answer to an abandoned call
      }
      return;
    }
    OutgoingBody upload = connection.streams().outgoing(response.id());
    if (upload != null) {
      upload.stop(); // answered before the whole body was read: the rest is not wanted
    }
    call.answer(response);
  }

  int inFlight() {
    return pending.size();
  }

  void failAll(String reason) {
    for (PendingCall call : pending.values()) {
      call.fail(
          new ConnectionLostException(
              "The connection to "
                  + connection.peer()
                  + " was lost while '"
                  + call.method()
                  + "' was in flight: "
                  + reason));
    }
  }
}
