package dev.sepia.server.model.certificates;

import dev.sepia.crypto.Certificates;
import dev.sepia.server.model.certificates.CertificateFileException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads the certificate files people upload to the library: a PFX (PKCS#12) file, or PEM text with
 * a certificate and optionally its private key (PKCS#8, encrypted or not, or a traditional RSA/EC
 * key). Errors say what is wrong in words the uploader can act on; none quotes the password or key
 * material, and no parser exception is chained (its message could).
 */
public final class CertificateFileReader {
  static final String ACCEPTED_FORMATS =
      "Upload a PFX/PKCS#12 file (as base64), or PEM text holding a certificate"
          + " (-----BEGIN CERTIFICATE-----) and optionally its private key (PKCS#8, encrypted or"
          + " not, or a traditional RSA or EC key).";
  static final String WRONG_PASSWORD = "The password does not open this certificate file.";

  // Passed to the calls that need it, instead of registering it JVM-wide.
  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
  private static final byte[] PEM_MARKER = "-----BEGIN".getBytes(StandardCharsets.US_ASCII);

  private CertificateFileReader() {}

  /**
   * Reads {@code data}: PEM text, or base64 of a PFX, PEM or DER file.
   *
   * @param password the file's or the key's password; null or empty when it has none
   */
  public static ParsedCertificate read(String data, char[] password)
      throws CertificateFileException {
    if (data == null || data.isBlank()) {
      throw new CertificateFileException(
          Reason.NOT_A_CERTIFICATE, "The certificate file is empty. " + ACCEPTED_FORMATS);
    }
    char[] pw = password == null ? new char[0] : password;
    if (data.contains("-----BEGIN")) {
      return readPem(data, pw);
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(data.trim());
    } catch (IllegalArgumentException e) {
      throw notACertificate();
    }
    if (indexOf(bytes, PEM_MARKER) >= 0) {
      return readPem(new String(bytes, StandardCharsets.UTF_8), pw);
    }
    if (isPfx(bytes)) {
      return readPfx(bytes, pw);
    }
    try {
      return new ParsedCertificate(Certificates.decodeCertificate(bytes), null);
    } catch (IllegalArgumentException e) {
      throw notACertificate();
    }
  }

  private static boolean isPfx(byte[] bytes) {
    try {
      new PKCS12PfxPdu(bytes);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static ParsedCertificate readPfx(byte[] bytes, char[] password)
      throws CertificateFileException {
    KeyStore store;
    try {
      store = KeyStore.getInstance("PKCS12", BOUNCY_CASTLE);
      store.load(new ByteArrayInputStream(bytes), password);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw passwordProblem(password);
    }
    try {
      List<X509Certificate> certificates = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        Certificate certificate = store.getCertificate(alias);
        if (!(certificate instanceof X509Certificate x509)) {
          continue;
        }
        if (store.isKeyEntry(alias)) {
          Key key;
          try {
            key = store.getKey(alias, password);
          } catch (GeneralSecurityException | RuntimeException e) {
            throw passwordProblem(password);
          }
          if (key instanceof PrivateKey privateKey) {
            X509Certificate copy = Certificates.decodeCertificate(x509.getEncoded());
            requireMatch(copy, privateKey);
            return new ParsedCertificate(copy, toPem(privateKey.getEncoded()));
          }
        }
        certificates.add(Certificates.decodeCertificate(x509.getEncoded()));
      }
      if (certificates.isEmpty()) {
        throw new CertificateFileException(
            Reason.UNUSABLE, "The PFX file holds no certificate. " + ACCEPTED_FORMATS);
      }
      return new ParsedCertificate(leaf(certificates), null);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CertificateFileException(
          Reason.UNUSABLE, "The PFX file opened, but its certificate could not be read.");
    }
  }

  private static ParsedCertificate readPem(String text, char[] password)
      throws CertificateFileException {
    List<X509Certificate> certificates = new ArrayList<>();
    List<PrivateKeyInfo> keys = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object item;
      while ((item = parser.readObject()) != null) {
        switch (item) {
          case X509CertificateHolder holder ->
              certificates.add(Certificates.decodeCertificate(holder.getEncoded()));
          case PrivateKeyInfo info -> keys.add(info);
          case PEMKeyPair pair -> keys.add(pair.getPrivateKeyInfo());
          case PKCS8EncryptedPrivateKeyInfo encrypted -> keys.add(decrypt(encrypted, password));
          case PEMEncryptedKeyPair encrypted -> keys.add(decrypt(encrypted, password));
          default -> {
            // Public keys, parameters, requests: not part of what the library stores.
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CertificateFileException(
          Reason.NOT_A_CERTIFICATE,
          "The PEM text is damaged: a block between its BEGIN and END lines could not be read. "
              + ACCEPTED_FORMATS);
    }
    if (certificates.isEmpty()) {
      throw new CertificateFileException(
          keys.isEmpty() ? Reason.NOT_A_CERTIFICATE : Reason.UNUSABLE,
          keys.isEmpty()
              ? "The PEM text holds no certificate. " + ACCEPTED_FORMATS
              : "The PEM text holds a private key but no certificate. Include the certificate"
                  + " (-----BEGIN CERTIFICATE-----) with it.");
    }
    if (keys.size() > 1) {
      throw new CertificateFileException(
          Reason.UNUSABLE,
          "The PEM text holds "
              + keys.size()
              + " private keys; upload one certificate with its one key.");
    }
    if (keys.isEmpty()) {
      return new ParsedCertificate(leaf(certificates), null);
    }
    PrivateKey key = toKey(keys.get(0));
    for (X509Certificate certificate : certificates) {
      if (matches(certificate, key)) {
        return new ParsedCertificate(certificate, toPem(encoded(keys.get(0))));
      }
    }
    throw keyDoesNotMatch();
  }

  private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password)
      throws CertificateFileException {
    if (password.length == 0) {
      throw passwordProblem(password);
    }
    try {
      return encrypted.decryptPrivateKeyInfo(
          new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password));
    } catch (PKCSException | OperatorCreationException | RuntimeException e) {
      throw passwordProblem(password);
    }
  }

  private static PrivateKeyInfo decrypt(PEMEncryptedKeyPair encrypted, char[] password)
      throws CertificateFileException {
    if (password.length == 0) {
      throw passwordProblem(password);
    }
    try {
      return encrypted
          .decryptKeyPair(
              new JcePEMDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password))
          .getPrivateKeyInfo();
    } catch (IOException | RuntimeException e) {
      throw passwordProblem(password);
    }
  }

  private static PrivateKey toKey(PrivateKeyInfo info) throws CertificateFileException {
    try {
      return new JcaPEMKeyConverter().setProvider(BOUNCY_CASTLE).getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new CertificateFileException(
          Reason.UNUSABLE, "The private key could not be read: its algorithm is not supported.");
    }
  }

  private static byte[] encoded(PrivateKeyInfo info) throws CertificateFileException {
    try {
      return info.getEncoded();
    } catch (IOException e) {
      throw new CertificateFileException(Reason.UNUSABLE, "The private key could not be encoded.");
    }
  }

  private static void requireMatch(X509Certificate certificate, PrivateKey key)
      throws CertificateFileException {
    if (!matches(certificate, key)) {
      throw keyDoesNotMatch();
    }
  }

  /**
   * Whether the key belongs to the certificate: a signature made with it verifies with the
   * certificate's public key. Keys of algorithms not listed here are taken on trust.
   */
  static boolean matches(X509Certificate certificate, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
          case "RSA" -> "SHA256withRSA";
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "DSA" -> "SHA256withDSA";
          case "ED25519", "ED448", "EDDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null) {
      return true;
    }
    try {
      byte[] probe = "sepia key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm, BOUNCY_CASTLE);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm, BOUNCY_CASTLE);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Of several certificates without a key, the first that is not a CA (else the first). */
  private static X509Certificate leaf(List<X509Certificate> certificates) {
    return certificates.stream()
        .filter(c -> c.getBasicConstraints() < 0)
        .findFirst()
        .orElse(certificates.get(0));
  }

  private static String toPem(byte[] pkcs8) {
    Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN PRIVATE KEY-----\n"
        + encoder.encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static CertificateFileException passwordProblem(char[] password) {
    return password.length == 0
        ? new CertificateFileException(
            Reason.PASSWORD_NEEDED,
            "This certificate file (or its private key) is protected by a password; give it as"
                + " 'password'.")
        : new CertificateFileException(Reason.WRONG_PASSWORD, WRONG_PASSWORD);
  }

  private static CertificateFileException keyDoesNotMatch() {
    return new CertificateFileException(
        Reason.UNUSABLE,
        "The private key does not belong to the certificate in the file. Upload the certificate"
            + " with its own key.");
  }

  private static CertificateFileException notACertificate() {
    return new CertificateFileException(
        Reason.NOT_A_CERTIFICATE,
        "The data is not a certificate file Sepia can read. " + ACCEPTED_FORMATS);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
