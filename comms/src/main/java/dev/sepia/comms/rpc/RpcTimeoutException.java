package dev.sepia.comms.rpc;

/**
 * The call got no answer in time. The request may still run on the Tentacle; the connection stays
 * usable.
 */
public class RpcTimeoutException extends RpcException {

  public RpcTimeoutException(String message) {
    super(message);
  }
}
