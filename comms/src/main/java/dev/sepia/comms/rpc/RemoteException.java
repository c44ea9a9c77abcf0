package dev.sepia.comms.rpc;

/** The handler on the Tentacle failed; {@link #type()} says how (e.g. {@code UnknownTicket}). */
public class RemoteException extends RpcException {

  private final String type;
  private final String remoteMessage;

  public RemoteException(String type, String remoteMessage, String context) {
    super(context + ": " + remoteMessage + " (" + type + ")");
    this.type = type;
    this.remoteMessage = remoteMessage;
  }

  /** The error type the callee reported: an {@link RpcFault} type or an exception's simple name. */
  public String type() {
    return type;
  }

  /** The callee's message, as it sent it. */
  public String remoteMessage() {
    return remoteMessage;
  }
}
