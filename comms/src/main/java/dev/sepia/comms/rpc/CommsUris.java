package dev.sepia.comms.rpc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Turns the {@code https://host:port/} an operator configures into the WebSocket address. */
final class CommsUris {

  private CommsUris() {}

  /**
   * @throws IllegalArgumentException if the address is not https (or wss) with a host and port
   */
  static URI webSocket(URI address) {
    String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("wss")) {
      throw new IllegalArgumentException(
          "A comms address is https://host:port/, not '" + address + "'");
    }
    if (address.getHost() == null || address.getPort() < 0) {
      throw new IllegalArgumentException(
          "A comms address needs a host and a port, like https://host:10933/, not '"
              + address
              + "'");
    }
    try {
      return new URI(
          "wss", null, address.getHost(), address.getPort(), WebSocketLimits.PATH, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Not a usable comms address: '" + address + "'", e);
    }
  }

  /** {@code host:port}, as messages name a peer. */
  static String hostPort(URI address) {
    return address.getHost() + ":" + address.getPort();
  }
}
