package dev.sepia.comms.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told whenever this side refuses a peer's certificate, so the refusal is explained where the
 * operator looks (the log, the server's target status) instead of surfacing as a reset socket.
 * Called on a TLS thread in the middle of a handshake: return quickly and do not throw.
 */
@FunctionalInterface
public interface TrustRejectionListener {

  /** Logs the rejection's explanation at WARN. */
  TrustRejectionListener LOG =
      new TrustRejectionListener() {
        private final Logger log = LoggerFactory.getLogger(TrustRejectionListener.class);

        @Override
        public void rejected(PeerRejection rejection) {
          log.warn(rejection.describe());
        }

        @Override
        public String toString() {
          return "TrustRejectionListener.LOG";
        }
      };

  void rejected(PeerRejection rejection);
}
