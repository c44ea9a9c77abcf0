package dev.sepia.comms.rpc;

/**
 * Thrown by a handler to answer with an error of a chosen type, such as {@code UnknownTicket} or
 * {@code HashMismatch}; the caller receives it as a {@link RemoteException} with that type.
 */
public class RpcFault extends Exception {

  private final String type;

  public RpcFault(String type, String message) {
    super(message);
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("An RPC fault needs a type");
    }
    this.type = type;
  }

  public String type() {
    return type;
  }
}
