package dev.sepia.server.engine.deployments;

import static dev.sepia.server.engine.deployments.SepiaApi.ok;
import static dev.sepia.server.engine.deployments.SepiaApi.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments to SSH targets through the API: a real SSH server runs the step's script, signing in
 * with a username/password or an SSH key pair account; the host key is pinned; the task log shows
 * the target's output with every sensitive value masked.
 */
class SshDeploymentTest {
  static final String SSH_PASSWORD = "ssh-Pa55-" + UUID.randomUUID();
  static final String KEY_PASSPHRASE = "key-passphrase-42";
  static final String DB_PASSWORD = "Db-S3cret-" + UUID.randomUUID();

  @TempDir static Path temp;
  static SepiaApi api;
  static SshHost host;
  static KeyPair deployKey = SshHost.ecKeyPair();
  static String passwordAccount;
  static String keyAccount;

  @BeforeAll
  static void start() throws Exception {
    host = new SshHost(SSH_PASSWORD);
    host.authorize(deployKey.getPublic());
    api =
        SepiaApi.start(temp.resolve("server"), TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    passwordAccount = api.passwordAccount("deploy password", SshHost.USER, SSH_PASSWORD);
    keyAccount =
        api.keyPairAccount(
            "deploy key",
            SshHost.USER,
            SshHost.openSshPrivateKey(deployKey, KEY_PASSPHRASE),
            KEY_PASSPHRASE);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    host.close();
  }

  /** One environment, one SSH target with the given account and fingerprint, one project. */
  record Setup(String environmentId, String targetName, String projectId, Path proof) {}

  static Setup setup(String name, String account, String fingerprint) throws Exception {
    String environment = api.environment("Env " + name);
    String target = "ssh-" + name;
    api.sshTarget(target, "Env " + name, "web", host.port(), fingerprint, account);
    String project =
        api.project(
            "Project " + name,
            api.lifecycle("Lifecycle " + name, Map.of("Only", List.of(environment))));
    Path proof = Files.createDirectories(temp.resolve(name)).resolve("proof.txt");
    api.variables(
        project,
        List.of(
            variable("Greeting", "hello from " + name, false),
            variable("DbPassword", DB_PASSWORD, true)));
    api.process(
        project,
        "Write proof",
        "web",
        "echo \"#{Greeting}\" > '"
            + proof
            + "'\n"
            + "echo \"#{DbPassword}\" >> '"
            + proof
            + "'\n"
            + "echo \"greeting is #{Greeting}\"\n"
            + "echo \"password is #{DbPassword}\"\n"
            + "echo \"running on #{Sepia.Machine.Name} as $(whoami)\"\n");
    return new Setup(environment, target, project, proof);
  }

  @Test
  void usernamePasswordAccount_deploysAndRunsTheScriptOnTheHost() throws Exception {
    deploysAndMasks(setup("pw", passwordAccount, host.fingerprint()));
  }

  @Test
  void sshKeyPairAccount_withPassphrase_deploysAndRunsTheScriptOnTheHost() throws Exception {
    deploysAndMasks(setup("key", keyAccount, host.fingerprint()));
  }

  private void deploysAndMasks(Setup s) throws Exception {
    String release = api.release(s.projectId());
    JsonNode deployment = api.deployAndWait(release, s.environmentId());

    String taskId = deployment.get("taskId").asText();
    String log = api.rawLog(taskId);
    assertThat(deployment.get("state").asText()).as(log).isEqualTo("Success");
    assertThat(deployment.get("task").get("state").asText()).isEqualTo("Success");

    // The script really ran on the SSH host, with the secret substituted.
    assertThat(Files.readAllLines(s.proof()))
        .containsExactly("hello from " + nameOf(s), DB_PASSWORD);

    String prefix = "[" + s.targetName() + "] ";
    assertThat(log)
        .contains(prefix + "greeting is hello from " + nameOf(s))
        .contains(prefix + "password is ********")
        .contains(prefix + "running on " + s.targetName())
        .contains(prefix + "Done")
        .doesNotContain(DB_PASSWORD)
        .doesNotContain(SSH_PASSWORD)
        .doesNotContain(KEY_PASSPHRASE);
    assertThat(api.responses).noneMatch(r -> r.contains(DB_PASSWORD));
    assertThat(api.responses).noneMatch(r -> r.contains(SSH_PASSWORD));
    assertThat(api.responses).noneMatch(r -> r.contains("PRIVATE KEY"));
  }

  private static String nameOf(Setup s) {
    return s.targetName().substring("ssh-".length());
  }

  @Test
  void wrongHostKeyFingerprint_failsTheDeploymentNamingTheMismatch() throws Exception {
    String pinned = SshHost.someOtherFingerprint();
    Setup s = setup("mitm", passwordAccount, pinned);
    String release = api.release(s.projectId());

    JsonNode deployment = api.deployAndWait(release, s.environmentId());

    String error = deployment.get("task").get("errorMessage").asText();
    assertThat(deployment.get("state").asText()).isEqualTo("Failed");
    assertThat(error)
        .contains("host key")
        .contains(host.fingerprint())
        .contains(pinned)
        .contains(s.targetName())
        .doesNotContain(SSH_PASSWORD);
    assertThat(s.proof()).doesNotExist();
    assertThat(api.rawLog(deployment.get("taskId").asText()))
        .contains("[" + s.targetName() + "] ")
        .contains(host.fingerprint());
  }

  @Test
  void healthCheck_marksAnSshTargetHealthy() throws Exception {
    api.environment("Env health");
    String password =
        api.sshTarget(
            "ssh-health-pw", "Env health", "web", host.port(), host.fingerprint(), passwordAccount);
    String key =
        api.sshTarget(
            "ssh-health-key", "Env health", "web", host.port(), host.fingerprint(), keyAccount);

    for (String id : List.of(password, key)) {
      JsonNode machine = api.healthCheck(id);
      assertThat(machine.get("healthStatus").asText()).as(machine.toString()).isEqualTo("Healthy");
      assertThat(machine.get("connectivity").asText()).isEqualTo("Connected");
      assertThat(machine.get("healthReason").asText()).contains(SshHost.USER + "@127.0.0.1");
    }
  }

  @Test
  void healthCheck_withAWrongPassword_marksTheTargetUnavailable() throws Exception {
    api.environment("Env badpw");
    String account = api.passwordAccount("wrong password", SshHost.USER, "not-the-password");
    String id =
        api.sshTarget("ssh-badpw", "Env badpw", "web", host.port(), host.fingerprint(), account);

    JsonNode machine = api.healthCheck(id);

    assertThat(machine.get("healthStatus").asText()).isEqualTo("Unavailable");
    assertThat(machine.get("healthReason").asText())
        .contains("password")
        .doesNotContain("not-the-password");
  }

  @Test
  void healthCheck_withAWrongFingerprint_marksTheTargetUnavailable() throws Exception {
    api.environment("Env badkey");
    String pinned = SshHost.someOtherFingerprint();
    String id =
        api.sshTarget("ssh-badkey", "Env badkey", "web", host.port(), pinned, passwordAccount);

    JsonNode machine = api.healthCheck(id);

    assertThat(machine.get("healthStatus").asText()).isEqualTo("Unavailable");
    assertThat(machine.get("healthReason").asText()).contains(pinned).contains(host.fingerprint());
  }

  @Test
  void sshTarget_withAnAccountOfAnotherKind_isRefused() {
    api.environment("Env token");
    String token =
        ok(
                api.post(
                    "/api/accounts",
                    Map.of("name", "api token", "kind", "Token", "token", "tok-123456789")),
                201)
            .get("id")
            .asText();
    Map<String, Object> body =
        Map.of(
            "name",
            "ssh-token",
            "communicationStyle",
            "Ssh",
            "environments",
            List.of("Env token"),
            "ssh",
            Map.of(
                "host",
                "127.0.0.1",
                "port",
                host.port(),
                "hostKeyFingerprint",
                host.fingerprint(),
                "accountId",
                token));
    var response = api.post("/api/machines", body);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).contains("Token");
  }
}
