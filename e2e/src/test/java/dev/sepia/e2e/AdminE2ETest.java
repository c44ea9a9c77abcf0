package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin command: creating and resetting administrators, and API keys. */
class AdminE2ETest {
  private static final Pattern API_KEY = Pattern.compile("API-[A-Z0-9]+");

  @TempDir Path tmp;
  TestDatabase db;
  TestInstance shop;

  @BeforeEach
  void setUp() {
    SepiaServerCli machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
    db = Engine.H2.newDatabase(tmp);
    shop = TestInstance.withNewDatabase(machine, tmp, "Shop", db);
  }

  @Test
  void admin_createsAnActiveAdministrator_andRecordsItInTheAuditLog() {
    CliResult created =
        shop.run(
                "admin",
                "--username",
                "alice",
                "--password",
                "correct horse battery",
                "--email",
                "alice@example.com")
            .succeeded();

    assertThat(created.stdout()).contains("Created administrator 'alice'");
    assertThat(db.rows("SELECT username, email, role, is_active FROM users"))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .containsExactly("alice", "alice@example.com", "ADMINISTRATOR", "TRUE"));
    assertThat(db.rows("SELECT category, message FROM events WHERE category <> 'DatabaseCreated'"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.get(0)).isEqualTo("AdministratorCreated");
              assertThat(event.get(1)).contains("alice").doesNotContain("correct horse");
            });
    assertThat(db.rows("SELECT password_hash FROM users").get(0).get(0))
        .doesNotContain("correct horse");
  }

  @Test
  void admin_withApiKey_printsTheKeyOnce_andKeepsOnlyItsHash() {
    CliResult created = shop.run("admin", "--username", "deploy-bot", "--apiKey").succeeded();

    Matcher m = API_KEY.matcher(created.stdout());
    assertThat(m.find()).as("an API key in %s", created).isTrue();
    String apiKey = m.group();
    assertThat(created.stdout().split(Pattern.quote(apiKey), -1)).hasSize(2);
    assertThat(created.stderr()).doesNotContain(apiKey);
    assertThat(db.rows("SELECT key_hash FROM api_keys"))
        .singleElement()
        .satisfies(row -> assertThat(row.get(0)).doesNotContain(apiKey.substring(4)));
    assertThat(db.rows("SELECT message FROM events"))
        .allSatisfy(row -> assertThat(row.get(0)).doesNotContain(apiKey.substring(4)));
  }

  @Test
  void admin_forAnExistingUser_resetsItWithoutCreatingAnother() {
    shop.run("admin", "--username", "alice", "--password", "first password").succeeded();
    String hashBefore = db.rows("SELECT password_hash FROM users").get(0).get(0);

    CliResult reset =
        shop.run("admin", "--username", "alice", "--password", "second password").succeeded();

    assertThat(reset.stdout()).contains("Reset user 'alice' to an active administrator");
    assertThat(db.count("users")).isEqualTo(1);
    assertThat(db.rows("SELECT password_hash FROM users").get(0).get(0)).isNotEqualTo(hashBefore);
    assertThat(db.rows("SELECT category FROM events")).contains(List.of("AdministratorReset"));
  }

  @Test
  void admin_withATooShortPassword_isBadUsageAndCreatesNoUser() {
    List<List<String>> eventsBefore = db.snapshot("events");

    CliResult refused =
        shop.run("admin", "--username", "bob", "--password", "short").exited(CliResult.BAD_USAGE);

    assertThat(refused.error()).contains("--password is too short").contains("8 characters");
    assertThat(db.count("users")).isZero();
    assertThat(db.snapshot("events")).isEqualTo(eventsBefore);
  }
}
