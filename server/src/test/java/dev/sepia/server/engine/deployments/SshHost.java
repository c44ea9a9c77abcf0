package dev.sepia.server.engine.deployments;

import dev.sepia.server.engine.ssh.SshTargets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * A real SSH server on a free local port standing in for a deployment target: a generated host key,
 * one user with a password and any authorized public keys; commands run as local processes with
 * {@code /bin/sh -c}, so a deployment script really runs and can leave files behind.
 */
final class SshHost implements AutoCloseable {
  static final String USER = "deploy";

  private final SshServer server;
  private final KeyPair hostKey;
  private final Set<String> authorizedKeys = ConcurrentHashMap.newKeySet();

  SshHost(String password) throws IOException {
    hostKey = ecKeyPair();
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

  int port() {
    return server.getPort();
  }

  /** The host key's fingerprint as ssh-keygen prints it: what a target must pin. */
  String fingerprint() {
    return SshTargets.fingerprintOf(hostKey.getPublic());
  }

  void authorize(PublicKey key) {
    authorizedKeys.add(SshTargets.fingerprintOf(key));
  }

  static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fingerprint of a host key nobody uses: a target pinned to it must refuse this host. */
  static String someOtherFingerprint() {
    return SshTargets.fingerprintOf(ecKeyPair().getPublic());
  }

  /** A private key file's text in OpenSSH format, encrypted when a passphrase is given. */
  static String openSshPrivateKey(KeyPair key, String passphrase) {
    try {
      OpenSSHKeyEncryptionContext encryption = null;
      if (passphrase != null) {
        encryption = new OpenSSHKeyEncryptionContext();
        encryption.setPassword(passphrase);
        encryption.setCipherName("AES");
        encryption.setCipherType("256");
        encryption.setCipherMode("CTR");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "deploy key", encryption, out);
      return out.toString(StandardCharsets.US_ASCII);
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
