package dev.sepia.comms.rpc;

import java.io.IOException;

/** A call did not produce a result. Subclasses say why; every message is meant for operators. */
public class RpcException extends IOException {

  public RpcException(String message) {
    super(message);
  }

  public RpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
