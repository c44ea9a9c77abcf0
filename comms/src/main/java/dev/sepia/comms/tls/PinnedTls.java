package dev.sepia.comms.tls;

import dev.sepia.crypto.CertificateWithKey;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Builds the TLS contexts both sides use: present our own certificate, accept the peer only by
 * pinned thumbprint. Each call makes a new context; nothing JVM-wide is touched, so one process can
 * host a server and many Tentacles with different identities.
 */
public final class PinnedTls {

  /** Newest first; TLS 1.2 stays for peers whose runtime lacks 1.3. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  public static final String SERVER_ROLE = Roles.SERVER;
  public static final String TENTACLE_ROLE = Roles.TENTACLE;

  /**
   * A resumed TLS session skips the trust manager, so a client whose trust was revoked could come
   * back on an old session ticket. The JDK issues no tickets when the server's session timeout
   * exceeds the 7-day ticket lifetime TLS 1.3 allows; sessions kept by id (TLS 1.2) are refused by
   * the trust manager invalidating every session it accepts. Every connection is thus checked
   * against the trusted thumbprints as they are now.
   */
  private static final int NO_TICKETS_SESSION_TIMEOUT_SECONDS = 8 * 24 * 60 * 60;

  private PinnedTls() {}

  /**
   * A context that presents {@code identity} and trusts exactly the peers whose certificate
   * thumbprint {@code trusted} holds at handshake time; every refusal goes to {@code listener}.
   *
   * @param localRole {@code "server"} or {@code "tentacle"}, for the refusal messages
   */
  public static SSLContext context(
      CertificateWithKey identity,
      TrustedThumbprints trusted,
      String localRole,
      TrustRejectionListener listener) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(trusted, "trusted");
    Objects.requireNonNull(listener, "listener");
    if (!Roles.SERVER.equals(localRole) && !Roles.TENTACLE.equals(localRole)) {
      throw new IllegalArgumentException("localRole must be 'server' or 'tentacle': " + localRole);
    }
    try {
      SSLContext context = SSLContext.getInstance(PROTOCOLS.get(0));
      context.init(
          new KeyManager[] {new SingleIdentityKeyManager(identity)},
          new TrustManager[] {new PinningTrustManager(trusted, localRole, listener)},
          new SecureRandom());
      context.getServerSessionContext().setSessionTimeout(NO_TICKETS_SESSION_TIMEOUT_SECONDS);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This Java runtime cannot provide TLS 1.3", e);
    }
  }

  /** The protocols to enable on every socket or engine made from a pinned context. */
  public static String[] protocols() {
    return PROTOCOLS.toArray(String[]::new);
  }
}
