package dev.sepia.comms.rpc;

import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.UntrustedCertificateException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Says why a dial failed, in the terms an operator acts on: we refused the peer, the peer refused
 * us, or there was nobody to talk to.
 */
final class DialFailures {

  /**
   * TLS alerts a peer sends when it refuses our certificate. With TLS 1.3 the client only learns of
   * them on its next read, so they surface while waiting for the WebSocket upgrade.
   */
  private static final List<String> REFUSAL_ALERTS =
      List.of(
          "bad_certificate",
          "certificate_unknown",
          "unsupported_certificate",
          "access_denied",
          "certificate_required");

  private DialFailures() {}

  static RpcException explain(
      Throwable failure,
      URI target,
      String localRole,
      String localThumbprint,
      Duration connectTimeout) {
    Throwable root = unwrap(failure);
    UntrustedCertificateException untrusted = find(root, UntrustedCertificateException.class);
    if (untrusted != null) {
      return new PeerUntrustedException(untrusted.rejection(), root);
    }
    if (refusedOurCertificate(root)) {
      return new TrustRefusedByPeerException(
          refusalMessage(target, localRole, localThumbprint), localThumbprint, root);
    }
    WebSocketHandshakeException notComms = find(root, WebSocketHandshakeException.class);
    if (notComms != null) {
      return new UnreachableException(
          "Could not connect to "
              + target
              + ": it answered HTTP "
              + notComms.getResponse().statusCode()
              + " instead of opening a Sepia comms socket. Is this the right port?",
          root);
    }
    return new UnreachableException(
        "Could not connect to " + target + ": " + reason(root, target, connectTimeout), root);
  }

  private static String refusalMessage(URI target, String localRole, String thumbprint) {
    String at = CommsUris.hostPort(target);
    if (PinnedTls.SERVER_ROLE.equals(localRole)) {
      return "The Tentacle at "
          + at
          + " refused this server's certificate (thumbprint "
          + thumbprint
          + "). On the Tentacle run: sepia-tentacle configure --trust="
          + thumbprint
          + ", then restart it.";
    }
    return "The server at "
        + at
        + " refused this Tentacle's certificate (thumbprint "
        + thumbprint
        + "). On the server, register this Tentacle with thumbprint "
        + thumbprint
        + " (or update the thumbprint of its target if its certificate was replaced).";
  }

  private static boolean refusedOurCertificate(Throwable root) {
    for (Throwable t = root; t != null; t = t.getCause()) {
      if (t instanceof SSLException && t.getMessage() != null) {
        for (String alert : REFUSAL_ALERTS) {
          if (t.getMessage().contains("fatal alert: " + alert)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String reason(Throwable root, URI target, Duration connectTimeout) {
    if (find(root, HttpConnectTimeoutException.class) != null
        || find(root, HttpTimeoutException.class) != null) {
      return "no answer within " + Durations.format(connectTimeout);
    }
    if (find(root, UnresolvedAddressException.class) != null
        || find(root, UnknownHostException.class) != null) {
      return "unknown host '" + target.getHost() + "'";
    }
    // The deepest message is the most specific ("Connection refused", "No route to host").
    String message = null;
    for (Throwable t = root; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (message == null && find(root, ConnectException.class) != null) {
      // The JDK's client reports a refused TCP connect as a ConnectException without a message.
      return "Connection refused";
    }
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static <T extends Throwable> T find(Throwable root, Class<T> type) {
    for (Throwable t = root; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
