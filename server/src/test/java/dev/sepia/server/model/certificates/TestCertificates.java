package dev.sepia.server.model.certificates;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificate files as people upload them, made fresh for tests. */
public final class TestCertificates {
  private TestCertificates() {}

  public static CertificateWithKey selfSigned(String commonName) {
    return Certificates.generateSelfSigned(commonName);
  }

  /** An EC certificate that expired yesterday. */
  public static CertificateWithKey expired(String commonName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      var builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(30, ChronoUnit.DAYS)),
              Date.from(now.minus(1, ChronoUnit.DAYS)),
              name,
              pair.getPublic());
      var holder =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      return new CertificateWithKey(
          Certificates.decodeCertificate(holder.getEncoded()), pair.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PFX file, base64, as an upload carries it. */
  public static String pfxBase64(CertificateWithKey c, String password) {
    return Base64.getEncoder()
        .encodeToString(Certificates.toPkcs12(c, password.toCharArray(), "upload"));
  }

  public static String certificatePem(CertificateWithKey c) {
    return Certificates.toPem(c.certificate());
  }

  public static String unencryptedKeyPem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** PKCS#8 encrypted with AES-256-CBC under {@code password}, as OpenSSL writes it. */
  public static String encryptedKeyPem(PrivateKey key, String password) {
    try {
      var encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
              .setPassword(password.toCharArray())
              .build();
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(new JcaPKCS8Generator(key, encryptor));
      }
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
