package dev.sepia.server.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.TestServer;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.recovery.FaultPoints;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A rotation while a server keeps serving: users keep saving sensitive variables, creating releases
 * (which open the project's values and seal copies) and adding accounts through the API. The server
 * takes the new key from its config without a restart; nothing written during the rotation is lost,
 * and afterwards everything opens with the new key alone.
 */
class OnlineRotationTest {
  private static final int SEEDED = 120;

  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void rotationWhileServing_losesNothing_andTheServerSwitchesKeysWithoutARestart(DatabaseKind kind)
      throws Exception {
    String url = TestDatabases.emptyDatabase(kind, temp);
    Path serverTemp = temp.resolve("server");
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", serverTemp.resolve("machine").toString());
    try (TestServer server = TestServer.start(serverTemp, url)) {
      SymmetricKey oldKey = configKey(env);
      seedAccounts(url, oldKey);
      String project =
          server.post("/api/projects", Map.of("name", "Shop")).body().get("id").asText();
      Map<String, Object> step = new java.util.LinkedHashMap<>();
      step.put("name", "Install");
      step.put("targetRoles", List.of("app"));
      step.put("script", "echo #{DbPassword} #{Parameters.ApiKey}");
      step.put("sensitiveParameters", Map.of("ApiKey", "step-secret"));
      assertThat(
              server
                  .put("/api/projects/" + project + "/process", Map.of("steps", List.of(step)))
                  .status())
          .isEqualTo(200);

      AtomicBoolean stop = new AtomicBoolean();
      List<String> failures = new CopyOnWriteArrayList<>();
      AtomicReference<String> lastVariableValue = new AtomicReference<>();
      Map<String, String> accountTokens = new ConcurrentHashMap<>();
      AtomicInteger releases = new AtomicInteger();
      Thread variables =
          writer(
              stop,
              failures,
              i -> {
                String value = "secret-" + i;
                TestServer.Response saved =
                    server.put(
                        "/api/projects/" + project + "/variables",
                        Map.of(
                            "variables",
                            List.of(
                                Map.of("name", "DbPassword", "value", value, "isSensitive", true),
                                Map.of("name", "Plain", "value", "p" + i))));
                check(saved, 200, failures);
                if (saved.status() == 200) {
                  lastVariableValue.set(value);
                }
                // A release opens the project's sensitive values and seals its own copies.
                TestServer.Response release =
                    server.post(
                        "/api/releases", Map.of("projectId", project, "version", "1.0." + i));
                check(release, 201, failures);
                if (release.status() == 201) {
                  releases.incrementAndGet();
                }
              });
      Thread accounts =
          writer(
              stop,
              failures,
              i -> {
                String token = "token-" + i;
                TestServer.Response created =
                    server.post(
                        "/api/accounts",
                        Map.of("name", "live account " + i, "kind", "Token", "token", token));
                check(created, 201, failures);
                if (created.status() == 201) {
                  accountTokens.put(created.body().get("id").asText(), token);
                }
                check(server.get("/api/accounts"), 200, failures);
              });
      variables.start();
      accounts.start();
      Thread.sleep(500);

      int releasesBefore = releases.get();
      int accountsBefore = accountTokens.size();
      RotationFixture.Run run =
          RotationFixture.run(
              withSmallBatches(env),
              "rotate-master-key",
              "--instance",
              "Test",
              "--yes",
              "--waitForNodes",
              "60s");

      int writtenDuringRotation =
          releases.get() - releasesBefore + accountTokens.size() - accountsBefore;
      // Keep writing a little after the rotation: the server now seals with the new key alone.
      Thread.sleep(2 * dev.sepia.server.rotation.NodeKeyWatcher.PERIOD.toMillis() + 500);
      stop.set(true);
      variables.join();
      accounts.join();

      assertThat(run.exit()).as(run.toString()).isZero();
      assertThat(run.out())
          .contains("1 server node(s) are running and keep serving during the rotation")
          .contains("Waiting for 1 running server node(s) to take the new master key")
          .contains("Every running server node now seals with the new key.");
      assertThat(failures).as("API failures during the rotation").isEmpty();
      assertThat(writtenDuringRotation).as("writes while the rotation ran").isPositive();
      assertThat(releases.get()).isPositive();
      assertThat(accountTokens).isNotEmpty();

      SymmetricKey newKey = configKey(env);
      assertThat(newKey.keyId()).isNotEqualTo(oldKey.keyId());
      assertThat(rawConfig(env).file().entries())
          .doesNotContainKey(ServerConfig.RETIRING_MASTER_KEY);
      RotationFixture values = RotationFixture.view(temp, url);
      assertThat(values.keyIds().values()).containsOnly(newKey.keyId());
      assertThat(values.opened(Keyring.of(newKey)).values())
          .doesNotContain(RotationFixture.DOES_NOT_OPEN);
      assertThat(values.storedValues().keySet())
          .anyMatch(k -> k.startsWith(EncryptedFieldCatalogue.RELEASE_SENSITIVE_VALUE + "/"));

      // Nothing lost: the last value saved, and every account's token, open as written.
      Barrier newOnly = Barrier.unsealed(Keyring.of(newKey));
      try (Database db = Database.open(url, false)) {
        String[] variable =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery(
                                "SELECT id, sensitive_value FROM variables WHERE owner_id = :p"
                                    + " AND name = 'DbPassword'")
                            .bind("p", project)
                            .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                            .one());
        assertThat(
                newOnly.openString(
                    EncryptedFieldCatalogue.SENSITIVE_VARIABLE, variable[0], variable[1]))
            .isEqualTo(lastVariableValue.get());
        for (Map.Entry<String, String> account : accountTokens.entrySet()) {
          String sealed =
              db.jdbi()
                  .withHandle(
                      h ->
                          h.createQuery("SELECT token FROM accounts WHERE id = :id")
                              .bind("id", account.getKey())
                              .mapTo(String.class)
                              .one());
          assertThat(
                  newOnly.openString(
                      EncryptedFieldCatalogue.ACCOUNT_TOKEN, account.getKey(), sealed))
              .isEqualTo(account.getValue());
        }
      }
      // The running server still serves, with the certificate it started with.
      assertThat(server.get("/api/accounts").status()).isEqualTo(200);
      assertThat(values.thumbprint()).isEqualTo(server.thumbprint());
    }
  }

  @Test
  void aSecondNode_handedTheKeyWithSetMasterKey_takesItWithoutARestart_andBothKeepServing()
      throws Exception {
    String url = TestDatabases.emptyDatabase(DatabaseKind.POSTGRESQL, temp);
    Path tempA = temp.resolve("node-a");
    Path tempB = temp.resolve("node-b");
    Map<String, String> envA = Map.of("SEPIA_MACHINE_DIR", tempA.resolve("machine").toString());
    Map<String, String> envB = Map.of("SEPIA_MACHINE_DIR", tempB.resolve("machine").toString());
    try (TestServer a = TestServer.start(tempA, url)) {
      SymmetricKey oldKey = configKey(envA);
      try (TestServer b =
          TestServer.secondNode(tempB, url, InsecureKeyAccess.toBase64(oldKey), "node-b")) {
        String project = a.post("/api/projects", Map.of("name", "Shop")).body().get("id").asText();
        Map<String, Object> step = new java.util.LinkedHashMap<>();
        step.put("name", "Install");
        step.put("targetRoles", List.of("app"));
        step.put("script", "echo #{DbPassword} #{Parameters.ApiKey}");
        step.put("sensitiveParameters", Map.of("ApiKey", "step-secret"));
        assertThat(
                a.put("/api/projects/" + project + "/process", Map.of("steps", List.of(step)))
                    .status())
            .isEqualTo(200);
        assertThat(
                b.put(
                        "/api/projects/" + project + "/variables",
                        Map.of(
                            "variables",
                            List.of(
                                Map.of(
                                    "name", "DbPassword", "value", "before", "isSensitive", true))))
                    .status())
            .isEqualTo(200);

        AtomicReference<RotationFixture.Run> rotated = new AtomicReference<>();
        Thread rotation =
            new Thread(
                () ->
                    rotated.set(
                        RotationFixture.run(
                            envA,
                            "rotate-master-key",
                            "--instance",
                            "Test",
                            "--yes",
                            "--waitForNodes",
                            "2m")));
        rotation.start();
        // The rotation saves the new key in node A's config first, then waits for node B.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (rawConfig(envA).retiringMasterKey().isEmpty()) {
          assertThat(System.nanoTime()).as("the rotation started").isLessThan(deadline);
          Thread.sleep(100);
        }
        SymmetricKey newKey = configKey(envA);
        // Node A takes the new key from its config, but only to open with while B lacks it: what A
        // writes now is still sealed with the old key, so B, still serving, can open it.
        awaitANodeHolding(url, newKey.keyId());
        assertThat(
                a.put(
                        "/api/projects/" + project + "/variables",
                        Map.of(
                            "variables",
                            List.of(
                                Map.of(
                                    "name", "DbPassword", "value", "during", "isSensitive", true))))
                    .status())
            .isEqualTo(200);
        assertThat(RotationFixture.view(temp, url).keyIds().values()).containsOnly(oldKey.keyId());
        TestServer.Response during = b.post("/api/releases", Map.of("projectId", project));
        assertThat(during.status()).as(during.text()).isEqualTo(201);

        RotationFixture.Run handed =
            RotationFixture.run(
                envB,
                "set-master-key",
                "--instance",
                "Test",
                "--masterKey",
                InsecureKeyAccess.toBase64(newKey));
        assertThat(handed.exit()).as(handed.toString()).isZero();
        assertThat(handed.out()).contains("kept as the retiring key");
        rotation.join(120_000);

        RotationFixture.Run run = rotated.get();
        assertThat(run).as("the rotation finished").isNotNull();
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out())
            .contains("2 server node(s) are running")
            .contains("node-b")
            .contains("Every running server node now holds the new key.")
            .contains("Every running server node now seals with the new key.");
        RotationFixture values = RotationFixture.view(temp, url);
        assertThat(values.keyIds().values()).containsOnly(newKey.keyId());
        assertThat(values.opened(Keyring.of(newKey)).values())
            .doesNotContain(RotationFixture.DOES_NOT_OPEN);
        // Both nodes open and seal with the new key, without a restart.
        assertThat(
                a.put(
                        "/api/projects/" + project + "/variables",
                        Map.of(
                            "variables",
                            List.of(
                                Map.of(
                                    "name", "DbPassword", "value", "after", "isSensitive", true))))
                    .status())
            .isEqualTo(200);
        assertThat(b.post("/api/releases", Map.of("projectId", project)).status()).isEqualTo(201);
        assertThat(a.post("/api/releases", Map.of("projectId", project)).status()).isEqualTo(201);
        assertThat(values.keyIds().values()).containsOnly(newKey.keyId());
        try (Database db = Database.open(url, false)) {
          List<String> active =
              db.jdbi()
                  .withHandle(
                      h ->
                          h.createQuery(
                                  "SELECT active_key_id FROM server_nodes WHERE stopped_at IS NULL")
                              .mapTo(String.class)
                              .list());
          assertThat(active).hasSize(2).containsOnly(newKey.keyId());
        }
      }
    }
  }

  /** Waits until some running node says it can open with this key. */
  private static void awaitANodeHolding(String url, String keyId) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    try (Database db = Database.open(url, false)) {
      while (true) {
        List<String> held =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery("SELECT key_ids FROM server_nodes WHERE stopped_at IS NULL")
                            .mapTo(String.class)
                            .list());
        if (held.stream().anyMatch(ids -> ids != null && ids.contains(keyId))) {
          return;
        }
        assertThat(System.nanoTime()).as("a node holds key id " + keyId).isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  private interface Step {
    void run(int i) throws Exception;
  }

  private static Thread writer(AtomicBoolean stop, List<String> failures, Step step) {
    return new Thread(
        () -> {
          for (int i = 0; !stop.get(); i++) {
            try {
              step.run(i);
            } catch (Exception | AssertionError e) {
              failures.add(e.toString());
            }
          }
        });
  }

  private static void check(TestServer.Response response, int status, List<String> failures) {
    if (response.status() != status) {
      failures.add(response.status() + " " + response.text());
    }
  }

  private static Map<String, String> withSmallBatches(Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put(FaultPoints.BATCH_SIZE, "2");
    return all;
  }

  private static ServerConfig rawConfig(Map<String, String> env) {
    ServerEnvironment environment = new ServerEnvironment(env);
    InstanceRecord record = environment.registry().resolve("Test");
    return environment.openConfig(record);
  }

  private static SymmetricKey configKey(Map<String, String> env) {
    return rawConfig(env).masterKey().orElseThrow();
  }

  /** Many sealed values, so that the walk takes many small batches beside the writers. */
  private static void seedAccounts(String url, SymmetricKey key) {
    Barrier barrier = Barrier.unsealed(Keyring.of(key));
    java.time.Instant now = java.time.Instant.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < SEEDED; i++) {
      ids.add("Accounts-" + java.util.UUID.randomUUID());
    }
    try (Database db = Database.open(url, false)) {
      db.jdbi()
          .useTransaction(
              h -> {
                for (String id : ids) {
                  h.createUpdate(
                          "INSERT INTO accounts (id, name, kind, token, created_at, updated_at)"
                              + " VALUES (:id, :id, 'Token', :sealed, :now, :now)")
                      .bind("id", id)
                      .bind("sealed", barrier.seal(EncryptedFieldCatalogue.ACCOUNT_TOKEN, id, "s"))
                      .bind("now", now)
                      .execute();
                }
              });
    }
  }
}
