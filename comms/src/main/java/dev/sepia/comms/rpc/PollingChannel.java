package dev.sepia.comms.rpc;

import java.time.Duration;

/**
 * The server's channel to a polling Tentacle: each call goes over whichever of the Tentacle's
 * sockets is least busy, waiting a bounded time for one. Closing it fails only its own calls; the
 * sockets belong to the {@link PollingServer}.
 */
final class PollingChannel extends ChannelBase {

  private final PollingRegistry registry;
  private final String thumbprint;
  private final Duration waitForConnection;

  PollingChannel(PollingRegistry registry, String thumbprint, Duration waitForConnection) {
    this.registry = registry;
    this.thumbprint = thumbprint;
    this.waitForConnection = waitForConnection;
  }

  @Override
  protected Connection connection() throws RpcException {
    return registry.await(thumbprint, waitForConnection);
  }

  @Override
  protected String describe() {
    return "the polling Tentacle " + thumbprint;
  }

  @Override
  protected void release() {}
}
