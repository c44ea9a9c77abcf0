package dev.sepia.server.model.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.machines.MachineStore.MachineSpec;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Accounts on both engines: secrets sealed per row, kept, replaced and cleared as asked. */
class AccountStoreTest {
  static final String KEY =
      "-----BEGIN OPENSSH PRIVATE KEY-----\n"
          + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
          + "-----END OPENSSH PRIVATE KEY-----\n";

  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void accounts_sealSecrets_keepOmittedOnes_andClearThoseTheKindDoesNotUse(DatabaseKind kind) {
    Barrier barrier = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      AccountStore store = new AccountStore(db.jdbi());
      String id =
          db.jdbi()
              .inTransaction(
                  h ->
                      AccountStore.insert(
                          h,
                          barrier,
                          new AccountChange(
                              " deploy ",
                              AccountKind.UsernamePassword,
                              "for web",
                              "svc",
                              "pw-marker-1",
                              null,
                              null,
                              null)));
      Account account = store.find(id).orElseThrow();
      assertThat(account.name()).isEqualTo("deploy");
      assertThat(account.passwordSet()).isTrue();
      assertThat(account.privateKeySet() || account.tokenSet() || account.passphraseSet())
          .isFalse();
      Map<String, Object> raw =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT password FROM accounts WHERE id = :id")
                          .bind("id", id)
                          .mapToMap()
                          .one());
      assertThat(raw.values().toString()).doesNotContain("pw-marker-1");

      AccountSecrets secrets = db.jdbi().withHandle(h -> AccountStore.open(h, barrier, id));
      assertThat(new String(secrets.password().chars())).isEqualTo("pw-marker-1");
      assertThat(secrets.token()).isNull();
      assertThat(secrets.toString()).doesNotContain("pw-marker-1");

      // Renamed with the password left out: the password stays.
      db.jdbi()
          .useTransaction(
              h ->
                  AccountStore.update(
                      h,
                      barrier,
                      id,
                      new AccountChange(
                          "deploy-web",
                          AccountKind.UsernamePassword,
                          null,
                          "svc2",
                          null,
                          null,
                          null,
                          null)));
      assertThat(
              new String(
                  db.jdbi().withHandle(h -> AccountStore.open(h, barrier, id)).password().chars()))
          .isEqualTo("pw-marker-1");
      assertThat(store.find(id).orElseThrow().username()).isEqualTo("svc2");

      // Turned into an SSH key pair: the password goes, the key and passphrase arrive.
      db.jdbi()
          .useTransaction(
              h ->
                  AccountStore.update(
                      h,
                      barrier,
                      id,
                      new AccountChange(
                          "deploy-web",
                          AccountKind.SshKeyPair,
                          null,
                          "svc2",
                          null,
                          KEY,
                          "phrase-1",
                          null)));
      Account ssh = store.find(id).orElseThrow();
      assertThat(ssh.kind()).isEqualTo(AccountKind.SshKeyPair);
      assertThat(ssh.passwordSet()).isFalse();
      assertThat(ssh.privateKeySet()).isTrue();
      assertThat(ssh.passphraseSet()).isTrue();
      AccountSecrets sshSecrets = db.jdbi().withHandle(h -> AccountStore.open(h, barrier, id));
      assertThat(new String(sshSecrets.privateKey().chars())).isEqualTo(KEY);
      assertThat(new String(sshSecrets.passphrase().chars())).isEqualTo("phrase-1");
      assertThat(sshSecrets.password()).isNull();

      // An empty passphrase clears it.
      db.jdbi()
          .useTransaction(
              h ->
                  AccountStore.update(
                      h,
                      barrier,
                      id,
                      new AccountChange(
                          "deploy-web",
                          AccountKind.SshKeyPair,
                          null,
                          "svc2",
                          null,
                          null,
                          "",
                          null)));
      assertThat(store.find(id).orElseThrow().passphraseSet()).isFalse();
      assertThat(store.find(id).orElseThrow().privateKeySet()).isTrue();

      String tokenId =
          db.jdbi()
              .inTransaction(
                  h ->
                      AccountStore.insert(
                          h,
                          barrier,
                          new AccountChange(
                              "api", AccountKind.Token, null, null, null, null, null, "tok-1")));
      assertThat(store.page("API", 0, 10).items()).extracting(Account::id).containsExactly(tokenId);
      assertThat(store.page(null, 1, 1).items())
          .extracting(Account::name)
          .containsExactly("deploy-web");
      assertThat(store.page(null, 0, 10).totalResults()).isEqualTo(2);
      Optional<Account> byName =
          db.jdbi().withHandle(h -> AccountStore.findByName(h, "DEPLOY-WEB"));
      assertThat(byName).map(Account::id).contains(id);

      db.jdbi()
          .useTransaction(
              h -> {
                String machine =
                    MachineStore.insert(
                        h,
                        new MachineSpec(
                            "ssh01",
                            "A".repeat(64),
                            CommunicationStyle.TentaclePassive,
                            "https://ssh01:10933/",
                            List.of(),
                            List.of()));
                h.createUpdate("UPDATE machines SET account_id = :a WHERE id = :m")
                    .bind("a", id)
                    .bind("m", machine)
                    .execute();
              });
      List<String> usingAccount = db.jdbi().withHandle(h -> AccountStore.machinesUsing(h, id));
      assertThat(usingAccount).containsExactly("ssh01");
      List<String> usingToken = db.jdbi().withHandle(h -> AccountStore.machinesUsing(h, tokenId));
      assertThat(usingToken).isEmpty();

      db.jdbi().useTransaction(h -> AccountStore.delete(h, tokenId));
      assertThat(store.find(tokenId)).isEmpty();
    }
  }
}
