package dev.sepia.server.engine.ssh;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * A real SSH server on a free local port, for tests: a generated host key, one account with a
 * password and any number of authorized public keys, and commands run by {@code /bin/sh -c} as
 * local processes, as OpenSSH's sshd runs them.
 */
final class LocalSshServer implements AutoCloseable {
  static final String USER = "deploy";

  private final SshServer server;
  private final KeyPair hostKey;
  private final Set<String> authorizedKeys = ConcurrentHashMap.newKeySet();

  LocalSshServer(String password) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    hostKey = generator.generateKeyPair();
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(List.of(hostKey)));
    server.setPasswordAuthenticator(
        (username, offered, session) -> USER.equals(username) && password.equals(offered));
    server.setPublickeyAuthenticator(
        (username, key, session) ->
            USER.equals(username) && authorizedKeys.contains(SshTargets.fingerprintOf(key)));
    server.setCommandFactory(
        (channel, command) ->
            new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel));
    server.start();
  }

  void authorize(PublicKey key) {
    authorizedKeys.add(SshTargets.fingerprintOf(key));
  }

  PublicKey hostKey() {
    return hostKey.getPublic();
  }

  int port() {
    return server.getPort();
  }

  SshEndpoint endpoint() {
    return new SshEndpoint("127.0.0.1", port(), SshTargets.fingerprintOf(hostKey.getPublic()));
  }

  SshEndpoint endpointExpecting(String fingerprint) {
    return new SshEndpoint("127.0.0.1", port(), fingerprint);
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
