package dev.sepia.comms.rpc;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The streams in progress on one connection, by request id, in each direction. */
final class StreamTable {

  private final ConcurrentMap<UUID, IncomingBody> incoming = new ConcurrentHashMap<>();
  private final ConcurrentMap<UUID, OutgoingBody> outgoing = new ConcurrentHashMap<>();

  IncomingBody addIncoming(UUID id, IncomingBody body) {
    incoming.put(id, body);
    return body;
  }

  IncomingBody incoming(UUID id) {
    return incoming.get(id);
  }

  IncomingBody removeIncoming(UUID id) {
    return incoming.remove(id);
  }

  OutgoingBody addOutgoing(UUID id) {
    OutgoingBody body = new OutgoingBody();
    outgoing.put(id, body);
    return body;
  }

  OutgoingBody outgoing(UUID id) {
    return outgoing.get(id);
  }

  void removeOutgoing(UUID id) {
    outgoing.remove(id);
  }

  /** The connection is gone: readers fail with {@code reason}, senders stop. */
  void failAll(String reason) {
    incoming.values().forEach(body -> body.fail(reason));
    incoming.clear();
    outgoing.values().forEach(OutgoingBody::stop);
    outgoing.clear();
  }
}
