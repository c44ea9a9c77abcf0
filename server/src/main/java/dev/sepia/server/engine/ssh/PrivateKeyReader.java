package dev.sepia.server.engine.ssh;

import dev.sepia.crypto.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.login.FailedLoginException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Reads an account's private key text (OpenSSH or PEM; RSA, ECDSA, Ed25519) with MINA's parsers.
 *
 * <p>MINA reports an encrypted key read without a passphrase as {@link FailedLoginException}, but a
 * wrong passphrase as whatever the decoder trips over (a corrupt stream, bad DER, a cipher error).
 * So the key is first read without a passphrase: that tells "encrypted" from "not a key", and only
 * then is the passphrase tried. Parser errors are not chained: they describe key bytes.
 */
final class PrivateKeyReader {
  private static final NamedResource RESOURCE = NamedResource.ofName("private key");

  private PrivateKeyReader() {}

  static KeyPair read(SshCredentials.KeyPair credentials) throws SshFailure {
    String user = credentials.username();
    byte[] keyText = utf8(credentials.privateKey());
    try {
      List<KeyPair> plain;
      try {
        plain = load(keyText, FilePasswordProvider.EMPTY);
      } catch (FailedLoginException encrypted) {
        return readEncrypted(keyText, credentials);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        throw unreadable(user, e);
      }
      if (plain.isEmpty()) {
        throw new SshFailure(
            SshFailure.Kind.INVALID_CREDENTIALS,
            "The private key of the SSH account '"
                + user
                + "' holds no private key. Paste the whole private key file (it begins with"
                + " -----BEGIN OPENSSH PRIVATE KEY----- or -----BEGIN … PRIVATE KEY-----), not the"
                + " public key (.pub).");
      }
      return plain.getFirst();
    } finally {
      Arrays.fill(keyText, (byte) 0);
    }
  }

  private static KeyPair readEncrypted(byte[] keyText, SshCredentials.KeyPair credentials)
      throws SshFailure {
    String user = credentials.username();
    if (credentials.passphrase() == null) {
      throw new SshFailure(
          SshFailure.Kind.INVALID_CREDENTIALS,
          "The private key of the SSH account '"
              + user
              + "' is protected by a passphrase, but the account has none. Enter the key's"
              + " passphrase in the account.");
    }
    char[] passphrase = credentials.passphrase().chars();
    try {
      // MINA takes the passphrase as a String; it lives only for this call.
      List<KeyPair> pairs = load(keyText, FilePasswordProvider.of(new String(passphrase)));
      if (pairs.isEmpty()) {
        throw wrongPassphrase(user);
      }
      return pairs.getFirst();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw wrongPassphrase(user);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  private static List<KeyPair> load(byte[] keyText, FilePasswordProvider passwords)
      throws IOException, GeneralSecurityException {
    try (InputStream in = new ByteArrayInputStream(keyText)) {
      Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, RESOURCE, in, passwords);
      List<KeyPair> result = new ArrayList<>();
      if (pairs != null) {
        pairs.forEach(result::add);
      }
      return result;
    }
  }

  private static SshFailure wrongPassphrase(String user) {
    return new SshFailure(
        SshFailure.Kind.INVALID_CREDENTIALS,
        "The private key of the SSH account '"
            + user
            + "' could not be decrypted: the passphrase is wrong (or the key text is damaged)."
            + " Enter the key's passphrase again, or paste the key again.");
  }

  private static SshFailure unreadable(String user, Exception e) {
    return new SshFailure(
        SshFailure.Kind.INVALID_CREDENTIALS,
        "The private key of the SSH account '"
            + user
            + "' cannot be read ("
            + e.getClass().getSimpleName()
            + "). Paste the whole private key file in OpenSSH or PEM format, RSA, ECDSA or"
            + " Ed25519, including its BEGIN and END lines.");
  }

  private static byte[] utf8(Secret secret) {
    char[] chars = secret.chars();
    try {
      var buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      if (buffer.hasArray()) {
        Arrays.fill(buffer.array(), (byte) 0);
      }
      return bytes;
    } finally {
      Arrays.fill(chars, '\0');
    }
  }
}
