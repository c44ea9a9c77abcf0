package dev.sepia.comms.rpc;

import dev.sepia.comms.tls.PeerRejection;

/** This side refused the peer's certificate; the rejection says what it presented and why. */
public class PeerUntrustedException extends RpcException {

  private final transient PeerRejection rejection;

  public PeerUntrustedException(PeerRejection rejection, Throwable cause) {
    super(rejection.describe(), cause);
    this.rejection = rejection;
  }

  public PeerRejection rejection() {
    return rejection;
  }
}
