package dev.sepia.server.engine.ssh;

import java.util.Objects;

/**
 * Where an SSH target is and which host key it must present.
 *
 * @param hostKeyFingerprint as OpenSSH prints it ({@code SHA256:<base64>}) or {@code MD5:aa:bb:…};
 *     see {@link HostKeyFingerprint}
 */
public record SshEndpoint(String host, int port, String hostKeyFingerprint) {

  public SshEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(hostKeyFingerprint, "hostKeyFingerprint");
    if (host.isBlank()) {
      throw new IllegalArgumentException("The SSH target has no host name.");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "The SSH port " + port + " is not a TCP port; use 1 to 65535 (usually 22).");
    }
  }

  /** {@code host:port}, as messages name the target. */
  String address() {
    return host + ":" + port;
  }
}
