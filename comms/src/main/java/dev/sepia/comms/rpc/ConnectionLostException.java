package dev.sepia.comms.rpc;

/**
 * The connection closed or died with the call in flight; whether the Tentacle acted on the request
 * is unknown, so only idempotent calls (such as starting a script by ticket) are safe to repeat.
 */
public class ConnectionLostException extends RpcException {

  public ConnectionLostException(String message) {
    super(message);
  }

  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
