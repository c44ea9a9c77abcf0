package dev.sepia.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates for mutual TLS, their thumbprints, and PKCS#12 (PFX) import and export.
 * Sepia trusts peers by pinned thumbprint, never by chain, so certificates are self-signed and long
 * lived. Objects returned here are the JDK's own certificate and key types, whichever provider
 * parsed them, so they work unchanged with JSSE.
 */
public final class Certificates {

  private static final String WRONG_PASSWORD_OR_DAMAGED =
      "The PFX file could not be opened: the password is wrong or the file is damaged.";
  private static final String NO_PRIVATE_KEY = "The PFX file holds no private key.";
  private static final String THUMBPRINT_RULE =
      "A thumbprint is 64 hexadecimal characters (the SHA-256 of the certificate); ";
  private static final int THUMBPRINT_HEX_CHARS = 64;
  // AES-256 for the key, AES-128 for the certificates: readable by OpenSSL 3 and current Windows.
  private static final String PKCS12_WRITE_TYPE = "PKCS12-AES256-AES128";
  private static final String PKCS12_READ_TYPE = "PKCS12";

  // Passed explicitly to the few calls that need it, instead of registering it JVM-wide.
  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

  private Certificates() {}

  /**
   * A new RSA-2048 key and a self-signed certificate for it: valid from a day ago (tolerating clock
   * skew) for 100 years, not a CA, usable for TLS server and client authentication both.
   */
  public static CertificateWithKey generateSelfSigned(String commonName) {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("A certificate needs a non-blank common name.");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, Randomness.secureRandom());
      KeyPair pair = generator.generateKeyPair();

      X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
      Instant now = Instant.now();
      Date notBefore = Date.from(now.minus(1, ChronoUnit.DAYS));
      Date notAfter = Date.from(now.atOffset(ZoneOffset.UTC).plusYears(100).toInstant());
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name, randomSerial(), notBefore, notAfter, name, pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
      return new CertificateWithKey(decodeCertificate(holder.getEncoded()), pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("Could not create a self-signed certificate", e);
    }
  }

  /** SHA-256 of the DER-encoded certificate, 64 upper-case hex characters. */
  public static String thumbprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("The certificate cannot be encoded", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /**
   * A thumbprint as typed or pasted by an operator — any case, with or without colons or spaces —
   * in the canonical upper-case form.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static String normalizeThumbprint(String input) {
    Objects.requireNonNull(input, "input");
    StringBuilder hex = new StringBuilder(THUMBPRINT_HEX_CHARS);
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == ':' || Character.isWhitespace(c)) {
        continue;
      }
      if (!isHexDigit(c)) {
        throw new IllegalArgumentException(
            THUMBPRINT_RULE + "this one contains characters that are not hexadecimal.");
      }
      hex.append(Character.toUpperCase(c));
    }
    if (hex.length() != THUMBPRINT_HEX_CHARS) {
      throw new IllegalArgumentException(THUMBPRINT_RULE + "this one has " + hex.length() + ".");
    }
    return hex.toString();
  }

  /** A PFX file holding the certificate and its key under {@code alias}, encrypted with AES. */
  public static byte[] toPkcs12(CertificateWithKey c, char[] password, String alias) {
    Objects.requireNonNull(c, "c");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(alias, "alias");
    try {
      KeyStore store = KeyStore.getInstance(PKCS12_WRITE_TYPE, BOUNCY_CASTLE);
      store.load(null, null);
      store.setKeyEntry(alias, c.privateKey(), password, new Certificate[] {c.certificate()});
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, password);
      return out.toByteArray();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Could not write the PFX file", e);
    }
  }

  /**
   * Reads the certificate and private key from a PFX file. Files exported by Windows or OpenSSL
   * often hold CA certificates as well; the entry that has a private key is the one taken.
   *
   * @throws GeneralSecurityException with a message an operator can act on
   */
  public static CertificateWithKey fromPkcs12(byte[] data, char[] password)
      throws GeneralSecurityException {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(password, "password");
    KeyStore store;
    try {
      store = KeyStore.getInstance(PKCS12_READ_TYPE, BOUNCY_CASTLE);
      store.load(new ByteArrayInputStream(data), password);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // Parsers report damage through many exception types; the operator needs one message.
      throw new GeneralSecurityException(WRONG_PASSWORD_OR_DAMAGED, e);
    }
    for (String alias : Collections.list(store.aliases())) {
      if (!store.isKeyEntry(alias)) {
        continue;
      }
      Key key;
      try {
        key = store.getKey(alias, password);
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new GeneralSecurityException(WRONG_PASSWORD_OR_DAMAGED, e);
      }
      if (key instanceof PrivateKey privateKey
          && store.getCertificate(alias) instanceof X509Certificate certificate) {
        return new CertificateWithKey(
            decodeCertificate(certificate.getEncoded()),
            decodePrivateKey(encodePrivateKey(privateKey)));
      }
    }
    throw new GeneralSecurityException(NO_PRIVATE_KEY);
  }

  /** The private key as PKCS#8 DER, for storage under the master key. */
  public static byte[] encodePrivateKey(PrivateKey key) {
    Objects.requireNonNull(key, "key");
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException(
          "This private key cannot be exported as PKCS#8 (format " + key.getFormat() + ").");
    }
    return encoded;
  }

  /**
   * An RSA or EC private key from PKCS#8 DER.
   *
   * @throws IllegalArgumentException if the bytes are not such a key
   */
  public static PrivateKey decodePrivateKey(byte[] pkcs8) {
    Objects.requireNonNull(pkcs8, "pkcs8");
    ASN1ObjectIdentifier algorithm;
    try {
      algorithm = PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm().getAlgorithm();
    } catch (RuntimeException e) {
      // Not chained: the parser's message could quote bytes of the key.
      throw new IllegalArgumentException("The private key is not valid PKCS#8 DER.");
    }
    String keyFactory;
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      keyFactory = "RSA";
    } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      keyFactory = "EC";
    } else {
      throw new IllegalArgumentException(
          "Only RSA and EC private keys are supported; this one has algorithm " + algorithm + ".");
    }
    try {
      return KeyFactory.getInstance(keyFactory).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("The " + keyFactory + " private key is not valid.");
    }
  }

  /**
   * An X.509 certificate from DER.
   *
   * @throws IllegalArgumentException if the bytes are not a certificate
   */
  public static X509Certificate decodeCertificate(byte[] der) {
    Objects.requireNonNull(der, "der");
    try {
      Certificate certificate =
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
      if (certificate instanceof X509Certificate x509) {
        return x509;
      }
      throw new IllegalArgumentException("The data is not an X.509 certificate.");
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "The data is not a valid DER-encoded X.509 certificate.", e);
    }
  }

  /** The certificate in PEM form, lines of 64 characters, ending with a newline. */
  public static String toPem(X509Certificate certificate) {
    try {
      Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      return "-----BEGIN CERTIFICATE-----\n"
          + encoder.encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateException e) {
      throw new IllegalArgumentException("The certificate cannot be encoded", e);
    }
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  // RFC 5280 asks for a positive serial of at most 20 octets; 128 random bits, never zero.
  private static BigInteger randomSerial() {
    BigInteger serial;
    do {
      serial = new BigInteger(128, Randomness.secureRandom());
    } while (serial.signum() == 0);
    return serial;
  }
}
