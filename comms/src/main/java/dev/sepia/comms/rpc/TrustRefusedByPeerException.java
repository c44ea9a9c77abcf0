package dev.sepia.comms.rpc;

/**
 * The peer refused this side's certificate (learned from the TLS alert it sent). The message names
 * our thumbprint and the command to run on the other side.
 */
public class TrustRefusedByPeerException extends RpcException {

  private final String ourThumbprint;

  public TrustRefusedByPeerException(String message, String ourThumbprint, Throwable cause) {
    super(message, cause);
    this.ourThumbprint = ourThumbprint;
  }

  /** The thumbprint the peer must trust. */
  public String ourThumbprint() {
    return ourThumbprint;
  }
}
