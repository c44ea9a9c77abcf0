package dev.sepia.server.engine.ssh;

import dev.sepia.crypto.Secret;
import java.util.Objects;

/** The account Sepia logs in with. Secrets stay wrapped until the moment they are used. */
public sealed interface SshCredentials permits SshCredentials.Password, SshCredentials.KeyPair {

  String username();

  /** Password authentication (also answers keyboard-interactive password prompts). */
  record Password(String username, Secret password) implements SshCredentials {
    public Password {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }
  }

  /**
   * Public-key authentication.
   *
   * @param privateKey the key file's text: OpenSSH ({@code BEGIN OPENSSH PRIVATE KEY}) or PEM
   *     (PKCS#1, PKCS#8, encrypted or not)
   * @param passphrase null if the key is not encrypted
   */
  record KeyPair(String username, Secret privateKey, Secret passphrase) implements SshCredentials {
    public KeyPair {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }
}
