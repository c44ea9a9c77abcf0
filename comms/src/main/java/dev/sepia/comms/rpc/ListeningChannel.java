package dev.sepia.comms.rpc;

/**
 * The server's channel to a listening Tentacle: one socket, dialed at once and again lazily
 * whenever it has dropped between calls. A call never redials on its own: once a request may have
 * been sent, repeating it is the caller's decision.
 */
final class ListeningChannel extends ChannelBase {

  private final Dialer dialer;
  private final String tentacle;
  private final RpcServices none = new RpcServices();
  private final CommsSettings settings;
  private final EndpointThreads threads;
  private Connection current;

  ListeningChannel(
      Dialer dialer, String tentacle, CommsSettings settings, EndpointThreads threads) {
    this.dialer = dialer;
    this.tentacle = tentacle;
    this.settings = settings;
    this.threads = threads;
  }

  @Override
  protected synchronized Connection connection() throws RpcException {
    if (current == null || !current.isOpen()) {
      current = dialer.dial(wire -> Connection.open(wire, tentacle, none, settings, threads));
    }
    return current;
  }

  @Override
  protected String describe() {
    return tentacle;
  }

  @Override
  protected void release() {
    Connection c;
    synchronized (this) {
      c = current;
    }
    if (c != null) {
      c.close("the server closed its channel");
    }
    dialer.close();
    threads.close();
  }
}
