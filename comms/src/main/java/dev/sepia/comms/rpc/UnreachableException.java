package dev.sepia.comms.rpc;

/**
 * No connection could be made: refused, no route, unknown host, connect timeout, or a polling
 * Tentacle that did not connect in time. Nothing was sent, so retrying is safe.
 */
public class UnreachableException extends RpcException {

  public UnreachableException(String message) {
    super(message);
  }

  public UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
