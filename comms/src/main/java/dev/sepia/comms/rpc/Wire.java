package dev.sepia.comms.rpc;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket, whichever library holds it (Jetty on the accepting side, the JDK's client on
 * the dialing side). Callers send one text or binary message at a time and wait for it.
 */
interface Wire {

  CompletableFuture<?> sendText(String text);

  /** The buffer must stay untouched until the returned future completes. */
  CompletableFuture<?> sendBinary(ByteBuffer frame);

  /** Best effort; a ping that cannot be sent now is skipped. */
  void sendPing();

  /** Starts a polite close (a Close frame), giving up after a moment. */
  void close(String reason);

  /** Drops the socket at once: for a peer that no longer answers. */
  void abort();
}
