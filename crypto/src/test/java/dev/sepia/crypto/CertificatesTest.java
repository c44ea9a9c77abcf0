package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificatesTest {

  private static final char[] PASSWORD = "pfx-password".toCharArray();

  // RSA key generation and PFX key derivation (hundreds of thousands of PBKDF2 iterations, on
  // purpose) are the slow parts; one certificate and one PFX serve every test.
  private static CertificateWithKey server;
  private static byte[] serverPfx;

  @BeforeAll
  static void generate() {
    server = Certificates.generateSelfSigned("sepia-server");
    serverPfx = Certificates.toPkcs12(server, PASSWORD, "sepia");
  }

  @Test
  void generatedCertificate_isSelfSignedForMutualTls() throws Exception {
    X509Certificate cert = server.certificate();

    assertThat(server.subject()).isEqualTo("CN=sepia-server");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    cert.verify(cert.getPublicKey());
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
    assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(cert.getKeyUsage()).startsWith(true, false, true, false, false, false);
    assertThat(cert.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(cert.getSerialNumber().signum()).isPositive();
    assertThat(cert.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
  }

  @Test
  void generatedCertificate_toleratesClockSkew_andOutlivesTheInstallation() {
    X509Certificate cert = server.certificate();
    Instant now = Instant.now();

    assertThat(cert.getNotBefore().toInstant())
        .isCloseTo(now.minus(Duration.ofDays(1)), within(Duration.ofMinutes(5)));
    assertThat(cert.getNotAfter().toInstant())
        .isCloseTo(
            now.atOffset(ZoneOffset.UTC).plusYears(100).toInstant(), within(Duration.ofMinutes(5)));
  }

  @Test
  void thumbprint_isUpperCaseSha256OfTheCertificate() throws Exception {
    String expected =
        HexFormat.of()
            .withUpperCase()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(server.certificate().getEncoded()));

    assertThat(server.thumbprint()).isEqualTo(expected).matches("[0-9A-F]{64}");
    assertThat(Certificates.thumbprint(server.certificate())).isEqualTo(expected);
  }

  @Test
  void exportedPfx_importsWithTheSameThumbprint_andAWorkingKey() throws Exception {
    CertificateWithKey imported = Certificates.fromPkcs12(serverPfx, PASSWORD);

    assertThat(imported.thumbprint()).isEqualTo(server.thumbprint());
    assertSignsForCertificate(imported.privateKey(), server.certificate());
  }

  @Test
  void exportedPfx_opensWithTheJdkToo() throws Exception {
    KeyStore jdk = KeyStore.getInstance("PKCS12");
    jdk.load(new ByteArrayInputStream(serverPfx), PASSWORD);

    assertThat(jdk.isKeyEntry("sepia")).isTrue();
    assertThat(Certificates.thumbprint((X509Certificate) jdk.getCertificate("sepia")))
        .isEqualTo(server.thumbprint());
  }

  @Test
  void wrongPfxPassword_saysSo() {
    assertThatThrownBy(() -> Certificates.fromPkcs12(serverPfx, "wrong".toCharArray()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage(
            "The PFX file could not be opened: the password is wrong or the file is damaged.");
  }

  @Test
  void damagedPfx_saysSo() {
    byte[] truncated = java.util.Arrays.copyOf(serverPfx, serverPfx.length / 2);

    for (byte[] damaged : new byte[][] {truncated, new byte[0], "not a pfx".getBytes()}) {
      assertThatThrownBy(() -> Certificates.fromPkcs12(damaged, PASSWORD))
          .isInstanceOf(GeneralSecurityException.class)
          .hasMessage(
              "The PFX file could not be opened: the password is wrong or the file is damaged.");
    }
  }

  @Test
  void pfxWithOnlyACertificate_saysItHoldsNoKey() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", server.certificate());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, PASSWORD);

    assertThatThrownBy(() -> Certificates.fromPkcs12(out.toByteArray(), PASSWORD))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("The PFX file holds no private key.");
  }

  @Test
  void pfxWhoseFirstEntryIsACaCertificate_stillImportsTheKeyEntry() throws Exception {
    CertificateWithKey ca = Certificates.generateSelfSigned("Example Issuing CA");
    byte[] pfx = pfxWithCaFirst(ca.certificate(), server);

    CertificateWithKey imported = Certificates.fromPkcs12(pfx, PASSWORD);

    assertThat(imported.thumbprint()).isEqualTo(server.thumbprint());
    assertSignsForCertificate(imported.privateKey(), server.certificate());
  }

  @Test
  void operatorTypedThumbprint_inAnyCaseWithColonsOrSpaces_isAccepted() {
    String canonical = server.thumbprint();
    String withColons = String.join(":", canonical.toLowerCase().split("(?<=\\G..)"));
    String withSpaces = String.join(" ", canonical.split("(?<=\\G....)"));

    assertThat(Certificates.normalizeThumbprint(withColons)).isEqualTo(canonical);
    assertThat(Certificates.normalizeThumbprint(withSpaces)).isEqualTo(canonical);
    assertThat(Certificates.normalizeThumbprint(" " + canonical + "\n")).isEqualTo(canonical);
  }

  @Test
  void sha1Thumbprint_isRefusedWithTheLengthExplained() {
    assertThatThrownBy(() -> Certificates.normalizeThumbprint("A".repeat(40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "A thumbprint is 64 hexadecimal characters (the SHA-256 of the certificate); this one"
                + " has 40.");
  }

  @Test
  void thumbprintWithNonHexCharacters_isRefusedWithTheReason() {
    assertThatThrownBy(() -> Certificates.normalizeThumbprint("G".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "A thumbprint is 64 hexadecimal characters (the SHA-256 of the certificate); this one"
                + " contains characters that are not hexadecimal.");
  }

  @Test
  void privateKey_survivesStorageAsPkcs8() throws Exception {
    byte[] stored = Certificates.encodePrivateKey(server.privateKey());

    PrivateKey restored = Certificates.decodePrivateKey(stored);

    assertThat(restored).isInstanceOf(RSAPrivateKey.class);
    assertSignsForCertificate(restored, server.certificate());
  }

  @Test
  void ecPrivateKey_survivesStorageAsPkcs8() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    var pair = generator.generateKeyPair();

    PrivateKey restored =
        Certificates.decodePrivateKey(Certificates.encodePrivateKey(pair.getPrivate()));

    assertThat(restored.getAlgorithm()).isEqualTo("EC");
    assertThat(restored.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void garbageInsteadOfAKeyOrCertificate_isRefusedClearly() {
    assertThatThrownBy(() -> Certificates.decodePrivateKey(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS#8");
    assertThatThrownBy(() -> Certificates.decodeCertificate(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("X.509");
  }

  @Test
  void certificate_roundTripsThroughDer() throws Exception {
    X509Certificate decoded = Certificates.decodeCertificate(server.certificate().getEncoded());

    assertThat(Certificates.thumbprint(decoded)).isEqualTo(server.thumbprint());
  }

  @Test
  void pem_isReadableByStandardTools() throws Exception {
    String pem = Certificates.toPem(server.certificate());

    assertThat(pem)
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(pem.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
    X509Certificate parsed =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    assertThat(Certificates.thumbprint(parsed)).isEqualTo(server.thumbprint());
  }

  @Test
  void toString_namesTheCertificate_notTheKey() {
    String keyBase64 = Base64.getEncoder().encodeToString(server.privateKey().getEncoded());

    assertThat(server.toString())
        .contains("CN=sepia-server", server.thumbprint(), "<masked>")
        .doesNotContain(keyBase64.substring(40, 80))
        .doesNotContain(server.privateKey().toString());
  }

  private static void assertSignsForCertificate(PrivateKey key, X509Certificate cert)
      throws Exception {
    byte[] message = "deploy".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(message);
    byte[] signature = signer.sign();

    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(cert.getPublicKey());
    verifier.update(message);
    assertThat(verifier.verify(signature)).as("imported key belongs to the certificate").isTrue();
  }

  // Lays out a PFX as Windows exports one with the chain: the CA certificate comes first and has
  // no key; the server certificate and its key are linked by a local key id.
  private static byte[] pfxWithCaFirst(X509Certificate caCert, CertificateWithKey leaf)
      throws Exception {
    Provider bc = new BouncyCastleProvider();
    var localKeyId =
        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(leaf.certificate().getPublicKey());

    PKCS12SafeBagBuilder caBag = new JcaPKCS12SafeBagBuilder(caCert);
    caBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("ca"));

    PKCS12SafeBagBuilder leafBag = new JcaPKCS12SafeBagBuilder(leaf.certificate());
    leafBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("web"));
    leafBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);

    PKCS12SafeBagBuilder keyBag =
        new JcaPKCS12SafeBagBuilder(
            leaf.privateKey(),
            new JcePKCSPBEOutputEncryptorBuilder(
                    PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setProvider(bc)
                .build(PASSWORD));
    keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("web"));
    keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);

    PKCS12PfxPduBuilder builder = new PKCS12PfxPduBuilder();
    builder.addData(caBag.build());
    builder.addData(leafBag.build());
    builder.addData(keyBag.build());
    return builder
        .build(new JcePKCS12MacCalculatorBuilder().setProvider(bc), PASSWORD)
        .getEncoded();
  }
}
