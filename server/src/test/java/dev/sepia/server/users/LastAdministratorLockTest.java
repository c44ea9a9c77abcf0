package dev.sepia.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two administrators demoting each other at the same moment must not leave the server with none:
 * the second change waits for the first and then sees one administrator, not two.
 */
class LastAdministratorLockTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aSecondChange_waitsForTheFirst_andSeesItsResult(DatabaseKind kind) throws Exception {
    try (Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true)) {
      new Schema(db).migrate();
      String ada =
          db.jdbi()
              .inTransaction(
                  h ->
                      UserStore.create(
                          h, "ada", "ada-password-1".toCharArray(), Role.ADMINISTRATOR, null));
      String bob =
          db.jdbi()
              .inTransaction(
                  h ->
                      UserStore.create(
                          h, "bob", "bob-password-1".toCharArray(), Role.ADMINISTRATOR, null));

      try (Handle first = db.jdbi().open()) {
        first.begin();
        assertThat(UserStore.lockActiveAdministrators(first)).containsExactlyInAnyOrder(ada, bob);
        UserStore.update(first, bob, Role.DEPLOYER, null, true);

        CompletableFuture<List<String>> second =
            CompletableFuture.supplyAsync(
                () ->
                    db.jdbi()
                        .inTransaction(
                            h -> {
                              List<String> seen = UserStore.lockActiveAdministrators(h);
                              if (seen.contains(ada) && seen.size() > 1) {
                                UserStore.update(h, ada, Role.DEPLOYER, null, true);
                              }
                              return seen;
                            }));
        Thread.sleep(500);
        assertThat(second).as("the second change waits while the first is open").isNotDone();
        first.commit();

        assertThat(second.get(30, TimeUnit.SECONDS)).containsExactly(ada);
      }
      assertThat(db.jdbi().inTransaction(UserStore::lockActiveAdministrators)).containsExactly(ada);
    }
  }
}
