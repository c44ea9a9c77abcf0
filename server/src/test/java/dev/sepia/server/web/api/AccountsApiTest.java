package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.model.accounts.AccountSecrets;
import dev.sepia.server.model.accounts.AccountStore;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.machines.MachineStore.MachineSpec;
import dev.sepia.server.web.api.ApiHarness.Response;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/accounts: write-only secrets, per-kind rules, roles, and accounts in use. */
class AccountsApiTest {
  static final String PASSWORD = "pw-MARKER-7f3a";
  static final String NEW_PASSWORD = "pw-MARKER-new-19c2";
  static final String TOKEN = "tok-MARKER-0b1d";
  static final String PASSPHRASE = "phrase-MARKER-55e0";
  static final String KEY_BODY =
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
  static final String PRIVATE_KEY =
      "-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY + "\n-----END OPENSSH PRIVATE KEY-----\n";

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

  @AfterEach
  void noSecretWasEverSentBackOrAudited() {
    assertThat(api.everyResponseAndEvent())
        .doesNotContain(PASSWORD, NEW_PASSWORD, TOKEN, PASSPHRASE, KEY_BODY);
  }

  static Map<String, Object> account(String name, String kind) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("kind", kind);
    body.put("description", "for tests");
    return body;
  }

  static Map<String, Object> login(String name) {
    Map<String, Object> body = account(name, "UsernamePassword");
    body.put("username", "deploy");
    body.put("password", PASSWORD);
    return body;
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  int accountCount() {
    return api.jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM accounts").mapTo(Integer.class).one());
  }

  @Test
  void administratorCreatesEachKind_andEveryoneSeesOnlyWhichSecretsAreSet() {
    String name = unique("web-login");
    Response created = api.post(api.adminKey, "/api/accounts", login(name));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(id).startsWith("Accounts-");
    assertThat(created.body().get("kind").asText()).isEqualTo("UsernamePassword");
    assertThat(created.body().get("username").asText()).isEqualTo("deploy");
    assertThat(created.body().at("/password/isSet").asBoolean()).isTrue();
    assertThat(created.body().at("/token/isSet").asBoolean()).isFalse();

    Map<String, Object> ssh = account(unique("ssh"), "SshKeyPair");
    ssh.put("username", "root");
    ssh.put("privateKey", PRIVATE_KEY);
    ssh.put("passphrase", PASSPHRASE);
    Response sshCreated = api.post(api.adminKey, "/api/accounts", ssh);
    assertThat(sshCreated.status()).as(sshCreated.text()).isEqualTo(201);
    assertThat(sshCreated.body().at("/privateKey/isSet").asBoolean()).isTrue();
    assertThat(sshCreated.body().at("/passphrase/isSet").asBoolean()).isTrue();

    Map<String, Object> token = account(unique("token"), "token");
    token.put("token", TOKEN);
    Response tokenCreated = api.post(api.adminKey, "/api/accounts", token);
    assertThat(tokenCreated.status()).as(tokenCreated.text()).isEqualTo(201);
    assertThat(tokenCreated.body().get("kind").asText()).isEqualTo("Token");

    Response read = api.get(api.viewerKey, "/api/accounts/" + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().get("name").asText()).isEqualTo(name);
    Response list = api.get(api.viewerKey, "/api/accounts?name=" + name.toUpperCase());
    assertThat(list.body().get("totalResults").asInt()).isEqualTo(1);
    assertThat(list.body().at("/items/0/id").asText()).isEqualTo(id);
    Response page = api.get(api.viewerKey, "/api/accounts?skip=1&take=1");
    assertThat(page.body().get("items")).hasSize(1);
    assertThat(page.body().get("totalResults").asInt()).isGreaterThanOrEqualTo(3);

    AccountSecrets secrets =
        api.jdbi()
            .withHandle(
                h -> AccountStore.open(h, api.barrier, sshCreated.body().get("id").asText()));
    assertThat(new String(secrets.privateKey().chars())).isEqualTo(PRIVATE_KEY);
    assertThat(api.auditTrail())
        .anyMatch(e -> e.equals("AccountCreated: Added account '" + name + "' (UsernamePassword)"));
  }

  @Test
  void viewersAndDeployersCannotChangeAccounts() {
    int before = accountCount();
    assertThat(api.post(api.viewerKey, "/api/accounts", login(unique("v"))).status())
        .isEqualTo(403);
    assertThat(api.post(api.deployerKey, "/api/accounts", login(unique("d"))).status())
        .isEqualTo(403);
    assertThat(api.post(null, "/api/accounts", login(unique("n"))).status()).isEqualTo(401);
    String id =
        api.post(api.adminKey, "/api/accounts", login(unique("x"))).body().get("id").asText();
    assertThat(api.put(api.deployerKey, "/api/accounts/" + id, login("renamed")).status())
        .isEqualTo(403);
    assertThat(api.delete(api.viewerKey, "/api/accounts/" + id).status()).isEqualTo(403);
    assertThat(accountCount()).isEqualTo(before + 1);
  }

  @Test
  void badInput_isRefusedWithTheProblems_andNothingChanges() {
    int before = accountCount();
    Map<String, Object> noPassword = login(unique("np"));
    noPassword.remove("password");
    Response r = api.post(api.adminKey, "/api/accounts", noPassword);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("details").toString()).contains("password: required");

    Map<String, Object> badKey = account(unique("bad-key"), "SshKeyPair");
    badKey.put("username", "root");
    badKey.put("privateKey", "ssh-rsa AAAAB3Nza " + PASSPHRASE);
    Response bad = api.post(api.adminKey, "/api/accounts", badKey);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("details").toString()).contains("privateKey: not a private key");

    Response kind = api.post(api.adminKey, "/api/accounts", account(unique("k"), "Kerberos"));
    assertThat(kind.status()).isEqualTo(400);
    assertThat(kind.body().get("details").toString())
        .contains("UsernamePassword, SshKeyPair, Token");

    Map<String, Object> mixed = login(unique("mixed"));
    mixed.put("token", TOKEN);
    assertThat(api.post(api.adminKey, "/api/accounts", mixed).status()).isEqualTo(400);
    assertThat(api.post(api.adminKey, "/api/accounts", "{not json").status()).isEqualTo(400);
    assertThat(api.post(api.adminKey, "/api/accounts", login("")).status()).isEqualTo(400);
    assertThat(accountCount()).isEqualTo(before);
  }

  @Test
  void duplicateName_isAConflict_inAnyCase() {
    String name = unique("dup");
    assertThat(api.post(api.adminKey, "/api/accounts", login(name)).status()).isEqualTo(201);
    Response again = api.post(api.adminKey, "/api/accounts", login(name.toUpperCase()));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("error").asText()).contains("already exists");
  }

  @Test
  void update_keepsOmittedSecrets_replacesGivenOnes_andAKindChangeNeedsTheNewSecrets() {
    String id =
        api.post(api.adminKey, "/api/accounts", login(unique("upd"))).body().get("id").asText();
    String renamed = unique("renamed");
    Map<String, Object> rename = account(renamed, "UsernamePassword");
    rename.put("username", "deploy2");
    Response r = api.put(api.adminKey, "/api/accounts/" + id, rename);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.body().get("name").asText()).isEqualTo(renamed);
    assertThat(r.body().at("/password/isSet").asBoolean()).isTrue();
    assertThat(password(id)).isEqualTo(PASSWORD);

    rename.put("password", NEW_PASSWORD);
    assertThat(api.put(api.adminKey, "/api/accounts/" + id, rename).status()).isEqualTo(200);
    assertThat(password(id)).isEqualTo(NEW_PASSWORD);

    Map<String, Object> toToken = account(renamed, "Token");
    Response refused = api.put(api.adminKey, "/api/accounts/" + id, toToken);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("details").toString()).contains("token: required");
    assertThat(api.get(api.viewerKey, "/api/accounts/" + id).body().get("kind").asText())
        .isEqualTo("UsernamePassword");

    toToken.put("token", TOKEN);
    Response changed = api.put(api.adminKey, "/api/accounts/" + id, toToken);
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body().at("/password/isSet").asBoolean()).isFalse();
    assertThat(changed.body().at("/token/isSet").asBoolean()).isTrue();
    assertThat(api.auditTrail())
        .anyMatch(
            e ->
                e.startsWith(
                    "AccountUpdated: Updated account '" + renamed + "' (Token; replaced token)"));
  }

  @Test
  void unknownAccount_is404() {
    assertThat(api.get(api.viewerKey, "/api/accounts/Accounts-none").status()).isEqualTo(404);
    assertThat(api.put(api.adminKey, "/api/accounts/Accounts-none", login("x")).status())
        .isEqualTo(404);
    assertThat(api.delete(api.adminKey, "/api/accounts/Accounts-none").status()).isEqualTo(404);
  }

  @Test
  void anAccountInUseByATarget_isNotDeleted() {
    String name = unique("used");
    String id = api.post(api.adminKey, "/api/accounts", login(name)).body().get("id").asText();
    String machine =
        api.jdbi()
            .inTransaction(
                h -> {
                  String m =
                      MachineStore.insert(
                          h,
                          new MachineSpec(
                              unique("ssh-target"),
                              UUID.randomUUID().toString().replace("-", "").repeat(2).toUpperCase(),
                              CommunicationStyle.TentaclePassive,
                              "https://t:10933/",
                              List.of(),
                              List.of()));
                  h.createUpdate("UPDATE machines SET account_id = :a WHERE id = :m")
                      .bind("a", id)
                      .bind("m", m)
                      .execute();
                  return m;
                });
    Response refused = api.delete(api.adminKey, "/api/accounts/" + id);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("details").toString()).contains("target: ssh-target");
    assertThat(api.get(api.viewerKey, "/api/accounts/" + id).status()).isEqualTo(200);

    api.jdbi().useTransaction(h -> MachineStore.delete(h, machine));
    assertThat(api.delete(api.adminKey, "/api/accounts/" + id).status()).isEqualTo(204);
    assertThat(api.get(api.viewerKey, "/api/accounts/" + id).status()).isEqualTo(404);
    assertThat(api.auditTrail()).contains("AccountDeleted: Deleted account '" + name + "'");
  }

  private static String password(String id) {
    return new String(
        api.jdbi().withHandle(h -> AccountStore.open(h, api.barrier, id)).password().chars());
  }
}
