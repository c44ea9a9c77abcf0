package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Secret;
import dev.sepia.server.model.certificates.CertificateLibraryStore;
import dev.sepia.server.model.certificates.TestCertificates;
import dev.sepia.server.web.api.ApiHarness.Response;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/certificates: uploads in each format, what is shown, and what never is. */
class CertificatesApiTest {
  static final String PFX_PASSWORD = "pfx-MARKER-91b7";
  static final String KEY_PASSWORD = "key-MARKER-3e4f";
  static final String WRONG_PASSWORD = "wrong-MARKER-77aa";
  static final CertificateWithKey SHOP = TestCertificates.selfSigned("shop.example.com");
  static final CertificateWithKey API = TestCertificates.selfSigned("api.example.com");
  static final CertificateWithKey OLD = TestCertificates.expired("old.example.com");

  @TempDir static Path temp;
  static ApiHarness api;

  @BeforeAll
  static void start() {
    api = new ApiHarness(temp);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** No password, and no part of any private key, in any response or audit event. */
  @AfterEach
  void noSecretWasEverSentBackOrAudited() {
    String everything = api.everyResponseAndEvent();
    assertThat(everything)
        .doesNotContain(PFX_PASSWORD, KEY_PASSWORD, WRONG_PASSWORD, "PRIVATE KEY");
    for (CertificateWithKey c : new CertificateWithKey[] {SHOP, API, OLD}) {
      String key = Base64.getEncoder().encodeToString(c.privateKey().getEncoded());
      assertThat(everything).doesNotContain(key.substring(key.length() / 2, key.length() / 2 + 40));
    }
  }

  static Map<String, Object> upload(String name, String data, String password) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("description", "tls");
    body.put("certificateData", data);
    body.put("password", password);
    return body;
  }

  int certificateCount() {
    return api.jdbi()
        .withHandle(
            h -> h.createQuery("SELECT COUNT(*) FROM certificates").mapTo(Integer.class).one());
  }

  @Test
  void pfxWithPassword_isStoredWithItsKey_andShownWithoutIt() {
    Response created =
        api.post(
            api.adminKey,
            "/api/certificates",
            upload("Shop PFX", TestCertificates.pfxBase64(SHOP, PFX_PASSWORD), PFX_PASSWORD));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(id).startsWith("Certificates-");
    assertThat(created.body().get("subject").asText()).isEqualTo("CN=shop.example.com");
    assertThat(created.body().get("issuer").asText()).isEqualTo("CN=shop.example.com");
    assertThat(created.body().get("thumbprint").asText()).isEqualTo(SHOP.thumbprint());
    assertThat(created.body().get("serialNumber").asText())
        .isEqualToIgnoringCase(SHOP.certificate().getSerialNumber().toString(16));
    assertThat(created.body().get("notAfter").asText())
        .isEqualTo(SHOP.certificate().getNotAfter().toInstant().toString());
    assertThat(created.body().get("isExpired").asBoolean()).isFalse();
    assertThat(created.body().get("hasPrivateKey").asBoolean()).isTrue();

    Response read = api.get(api.viewerKey, "/api/certificates/" + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().get("name").asText()).isEqualTo("Shop PFX");
    Optional<Secret> key =
        api.jdbi().withHandle(h -> CertificateLibraryStore.openPrivateKey(h, api.barrier, id));
    assertThat(new String(key.orElseThrow().chars())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(api.auditTrail())
        .contains(
            "CertificateUploaded: Uploaded certificate 'Shop PFX' (CN=shop.example.com,"
                + " thumbprint "
                + SHOP.thumbprint()
                + ", with private key)");
  }

  @Test
  void pemWithEncryptedOrPlainKey_orCertificateOnly_areAccepted() {
    Response encrypted =
        api.post(
            api.adminKey,
            "/api/certificates",
            upload(
                "API encrypted",
                TestCertificates.certificatePem(API)
                    + TestCertificates.encryptedKeyPem(API.privateKey(), KEY_PASSWORD),
                KEY_PASSWORD));
    assertThat(encrypted.status()).as(encrypted.text()).isEqualTo(201);
    assertThat(encrypted.body().get("hasPrivateKey").asBoolean()).isTrue();

    Response plain =
        api.post(
            api.adminKey,
            "/api/certificates",
            upload(
                "API plain",
                TestCertificates.certificatePem(API)
                    + TestCertificates.unencryptedKeyPem(API.privateKey()),
                null));
    assertThat(plain.status()).as(plain.text()).isEqualTo(201);
    assertThat(plain.body().get("thumbprint").asText()).isEqualTo(API.thumbprint());

    Response old =
        api.post(
            api.adminKey,
            "/api/certificates",
            upload("Old public", TestCertificates.certificatePem(OLD), null));
    assertThat(old.status()).as(old.text()).isEqualTo(201);
    assertThat(old.body().get("hasPrivateKey").asBoolean()).isFalse();
    assertThat(old.body().get("isExpired").asBoolean()).isTrue();

    Response list = api.get(api.viewerKey, "/api/certificates?name=api");
    assertThat(list.body().get("totalResults").asInt()).isEqualTo(2);
    assertThat(list.body().get("items").findValuesAsText("name"))
        .containsExactly("API encrypted", "API plain");
    Response page = api.get(api.viewerKey, "/api/certificates?name=api&skip=1&take=1");
    assertThat(page.body().get("items").findValuesAsText("name")).containsExactly("API plain");
  }

  @Test
  void wrongPasswordOrNotACertificate_is400_andNothingIsStored() {
    int before = certificateCount();
    Response wrong =
        api.post(
            api.adminKey,
            "/api/certificates",
            upload("Wrong", TestCertificates.pfxBase64(SHOP, PFX_PASSWORD), WRONG_PASSWORD));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.body().get("error").asText())
        .isEqualTo("The password does not open this certificate file.");

    Response wrongKey =
        api.post(
            api.adminKey,
            "/api/certificates",
            upload(
                "Wrong key",
                TestCertificates.certificatePem(API)
                    + TestCertificates.encryptedKeyPem(API.privateKey(), KEY_PASSWORD),
                WRONG_PASSWORD));
    assertThat(wrongKey.status()).isEqualTo(400);
    assertThat(wrongKey.body().get("error").asText())
        .isEqualTo("The password does not open this certificate file.");

    Response junk =
        api.post(api.adminKey, "/api/certificates", upload("Junk", "bm90IGEgY2VydA==", null));
    assertThat(junk.status()).isEqualTo(400);
    assertThat(junk.body().get("error").asText()).contains("PFX/PKCS#12").contains("PEM");

    assertThat(api.post(api.adminKey, "/api/certificates", upload("No data", null, null)).status())
        .isEqualTo(400);
    assertThat(
            api.post(
                    api.adminKey,
                    "/api/certificates",
                    upload("", TestCertificates.certificatePem(OLD), null))
                .status())
        .isEqualTo(400);
    assertThat(certificateCount()).isEqualTo(before);
  }

  @Test
  void renameReplaceAndDelete_withRolesAndConflicts() {
    String pem = TestCertificates.certificatePem(OLD);
    String id =
        api.post(api.adminKey, "/api/certificates", upload("Rename me", pem, null))
            .body()
            .get("id")
            .asText();
    assertThat(api.post(api.adminKey, "/api/certificates", upload("RENAME ME", pem, null)).status())
        .isEqualTo(409);
    assertThat(api.post(api.deployerKey, "/api/certificates", upload("D", pem, null)).status())
        .isEqualTo(403);

    Response renamed =
        api.put(
            api.adminKey,
            "/api/certificates/" + id,
            Map.of("name", "Renamed", "description", "new words"));
    assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
    assertThat(renamed.body().get("name").asText()).isEqualTo("Renamed");
    assertThat(renamed.body().get("description").asText()).isEqualTo("new words");
    assertThat(renamed.body().get("thumbprint").asText()).isEqualTo(OLD.thumbprint());

    Response replaced =
        api.put(
            api.adminKey,
            "/api/certificates/" + id,
            upload("Renamed", TestCertificates.pfxBase64(SHOP, PFX_PASSWORD), PFX_PASSWORD));
    assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
    assertThat(replaced.body().get("thumbprint").asText()).isEqualTo(SHOP.thumbprint());
    assertThat(replaced.body().get("hasPrivateKey").asBoolean()).isTrue();

    assertThat(api.put(api.viewerKey, "/api/certificates/" + id, Map.of("name", "x")).status())
        .isEqualTo(403);
    assertThat(api.delete(api.viewerKey, "/api/certificates/" + id).status()).isEqualTo(403);
    assertThat(api.delete(api.adminKey, "/api/certificates/" + id).status()).isEqualTo(204);
    assertThat(api.get(api.viewerKey, "/api/certificates/" + id).status()).isEqualTo(404);
    assertThat(api.delete(api.adminKey, "/api/certificates/" + id).status()).isEqualTo(404);
    assertThat(
            api.put(api.adminKey, "/api/certificates/Certificates-none", Map.of("name", "x"))
                .status())
        .isEqualTo(404);
    assertThat(api.auditTrail().get(0))
        .startsWith("CertificateDeleted: Deleted certificate 'Renamed'");
  }
}
