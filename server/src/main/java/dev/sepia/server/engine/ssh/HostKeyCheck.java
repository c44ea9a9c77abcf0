package dev.sepia.server.engine.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * The host key pinned for one connection, and what the server presented. Travels with the
 * connection as its context, so one shared client can connect to many targets, each checked against
 * its own fingerprint.
 */
final class HostKeyCheck {
  private static final AttributeKey<HostKeyCheck> KEY = new AttributeKey<>();

  /** Accepts a server key only if it matches the connection's pinned fingerprint; never else. */
  static final ServerKeyVerifier VERIFIER =
      (ClientSession session, SocketAddress remote, PublicKey key) -> {
        AttributeRepository context = session.getConnectionContext();
        HostKeyCheck check = context == null ? null : context.getAttribute(KEY);
        return check != null && check.verify(key);
      };

  private final HostKeyFingerprint expected; // null: the pinned text could not be read
  private volatile String presented;
  private volatile boolean rejected;

  HostKeyCheck(HostKeyFingerprint expected) {
    this.expected = expected;
  }

  AttributeRepository asContext() {
    return AttributeRepository.ofKeyValuePair(KEY, this);
  }

  private boolean verify(PublicKey key) {
    presented = HostKeyFingerprint.sha256Of(key);
    boolean ok = expected != null && expected.matches(key);
    rejected = !ok;
    return ok;
  }

  /** Whether the server presented a key and it was refused. */
  boolean rejected() {
    return rejected;
  }

  /** The SHA-256 fingerprint of the key the server presented, or null if none came. */
  String presented() {
    return presented;
  }
}
