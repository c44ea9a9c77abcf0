package dev.sepia.server.model.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.server.model.certificates.CertificateFileException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The file formats people upload, and the ways an upload goes wrong. */
class CertificateFileReaderTest {
  static final CertificateWithKey RSA = TestCertificates.selfSigned("shop.example.com");
  static final CertificateWithKey OTHER = TestCertificates.selfSigned("other.example.com");

  @Test
  void pfxWithPassword_givesCertificateAndKey() throws Exception {
    ParsedCertificate parsed =
        CertificateFileReader.read(
            TestCertificates.pfxBase64(RSA, "pfx-pass-1"), "pfx-pass-1".toCharArray());
    assertThat(parsed.thumbprint()).isEqualTo(RSA.thumbprint());
    assertThat(parsed.subject()).isEqualTo("CN=shop.example.com");
    assertSameKey(parsed, RSA);
  }

  @Test
  void pfxWithWrongOrMissingPassword_isRefusedWithoutEchoingIt() {
    String pfx = TestCertificates.pfxBase64(RSA, "pfx-pass-1");
    assertThatThrownBy(() -> CertificateFileReader.read(pfx, "wrong-pass-xyz".toCharArray()))
        .isInstanceOfSatisfying(
            CertificateFileException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD))
        .hasMessage("The password does not open this certificate file.")
        .hasNoCause();
    assertThatThrownBy(() -> CertificateFileReader.read(pfx, null))
        .isInstanceOfSatisfying(
            CertificateFileException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PASSWORD_NEEDED));
  }

  @Test
  void pemWithUnencryptedKey_givesCertificateAndKey_inEitherOrder() throws Exception {
    String pem =
        TestCertificates.unencryptedKeyPem(RSA.privateKey()) + TestCertificates.certificatePem(RSA);
    ParsedCertificate parsed = CertificateFileReader.read(pem, null);
    assertThat(parsed.thumbprint()).isEqualTo(RSA.thumbprint());
    assertSameKey(parsed, RSA);
  }

  @Test
  void pemWithEncryptedKey_needsItsPassword() throws Exception {
    String pem =
        TestCertificates.certificatePem(RSA)
            + TestCertificates.encryptedKeyPem(RSA.privateKey(), "key-pass-2");
    assertThat(pem).contains("ENCRYPTED PRIVATE KEY");
    assertSameKey(CertificateFileReader.read(pem, "key-pass-2".toCharArray()), RSA);
    assertThatThrownBy(() -> CertificateFileReader.read(pem, "nope-nope".toCharArray()))
        .isInstanceOfSatisfying(
            CertificateFileException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));
    assertThatThrownBy(() -> CertificateFileReader.read(pem, null))
        .isInstanceOfSatisfying(
            CertificateFileException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PASSWORD_NEEDED));
  }

  @Test
  void pemCertificateOnly_hasNoKey_evenWhenSentAsBase64() throws Exception {
    String pem = TestCertificates.certificatePem(RSA);
    ParsedCertificate parsed = CertificateFileReader.read(pem, null);
    assertThat(parsed.hasPrivateKey()).isFalse();
    String base64 = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    assertThat(CertificateFileReader.read(base64, null).thumbprint()).isEqualTo(RSA.thumbprint());
  }

  @Test
  void ecKeyAndExpiredCertificate_areRead() throws Exception {
    CertificateWithKey expired = TestCertificates.expired("old.example.com");
    ParsedCertificate parsed =
        CertificateFileReader.read(
            TestCertificates.certificatePem(expired)
                + TestCertificates.unencryptedKeyPem(expired.privateKey()),
            null);
    assertThat(parsed.hasPrivateKey()).isTrue();
    assertThat(parsed.certificate().getNotAfter().toInstant()).isBefore(java.time.Instant.now());
  }

  @Test
  void keyOfAnotherCertificate_isRefused() {
    String pem =
        TestCertificates.certificatePem(RSA)
            + TestCertificates.unencryptedKeyPem(OTHER.privateKey());
    assertThatThrownBy(() -> CertificateFileReader.read(pem, null))
        .isInstanceOfSatisfying(
            CertificateFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNUSABLE))
        .hasMessageContaining("does not belong");
  }

  @Test
  void somethingElse_isRefused_namingTheAcceptedFormats() {
    for (String data :
        new String[] {
          "hello, I am not a certificate",
          Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
          TestCertificates.unencryptedKeyPem(RSA.privateKey()).replace("PRIVATE KEY", "NOTHING"),
          ""
        }) {
      assertThatThrownBy(() -> CertificateFileReader.read(data, null))
          .as(data)
          .isInstanceOfSatisfying(
              CertificateFileException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_CERTIFICATE))
          .hasMessageContaining("PFX/PKCS#12")
          .hasMessageContaining("PEM");
    }
  }

  @Test
  void toString_masksTheKey() throws Exception {
    ParsedCertificate parsed =
        CertificateFileReader.read(
            TestCertificates.certificatePem(RSA)
                + TestCertificates.unencryptedKeyPem(RSA.privateKey()),
            null);
    assertThat(parsed.toString()).contains("<masked>").doesNotContain("BEGIN PRIVATE KEY");
  }

  static void assertSameKey(ParsedCertificate parsed, CertificateWithKey expected) {
    assertThat(parsed.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    String body =
        parsed
            .privateKeyPem()
            .replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "");
    byte[] der = Base64.getMimeDecoder().decode(body.trim());
    assertThat(Certificates.decodePrivateKey(der).getEncoded())
        .isEqualTo(expected.privateKey().getEncoded());
  }
}
