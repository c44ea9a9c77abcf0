package dev.sepia.comms.tls;

import dev.sepia.crypto.Certificates;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a peer if and only if the SHA-256 thumbprint of its leaf certificate is trusted. Chains,
 * CAs, validity dates and host names are deliberately not consulted: the pin is the trust.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {

  private static final Logger log = LoggerFactory.getLogger(PinningTrustManager.class);
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private final TrustedThumbprints trusted;
  private final String localRole;
  private final TrustRejectionListener listener;

  PinningTrustManager(
      TrustedThumbprints trusted, String localRole, TrustRejectionListener listener) {
    this.trusted = trusted;
    this.localRole = localRole;
    this.listener = listener;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, socket == null ? null : address(socket.getRemoteSocketAddress()));
    if (socket instanceof SSLSocket ssl) {
      forbidResumption(ssl.getHandshakeSession());
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, address(engine));
    if (engine != null) {
      forbidResumption(engine.getHandshakeSession());
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, socket == null ? null : address(socket.getRemoteSocketAddress()));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, address(engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, null);
  }

  /** None: any self-signed certificate may be offered, and its thumbprint decides. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }

  private void check(X509Certificate[] chain, String peerAddress) throws CertificateException {
    if (chain == null || chain.length == 0) {
      reject(new PeerRejection(localRole, peerAddress, null, null, trusted.all()));
    }
    X509Certificate leaf = chain[0];
    String thumbprint = Certificates.thumbprint(leaf);
    if (trusted.isTrusted(thumbprint)) {
      return;
    }
    String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
    reject(new PeerRejection(localRole, peerAddress, thumbprint, subject, trusted.all()));
  }

  /** An invalidated session is never cached for resumption by id; see {@link PinnedTls}. */
  private static void forbidResumption(SSLSession handshake) {
    if (handshake != null) {
      handshake.invalidate();
    }
  }

  private void reject(PeerRejection rejection) throws CertificateException {
    try {
      listener.rejected(rejection);
    } catch (RuntimeException e) {
      // A broken listener must not turn a refusal into an acceptance or hide the real reason.
      log.warn("The trust rejection listener failed; the peer is refused anyway", e);
    }
    throw new UntrustedCertificateException(rejection);
  }

  private static String address(SSLEngine engine) {
    if (engine == null || engine.getPeerHost() == null || engine.getPeerPort() < 0) {
      return null;
    }
    return hostPort(engine.getPeerHost(), engine.getPeerPort());
  }

  private static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return hostPort(inet.getHostString(), inet.getPort());
    }
    return null;
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
