package dev.sepia.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.FieldCipher;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every ciphertext in the database lives in a catalogued column, and every catalogued column
 * exists. Recovery and rotation walk the catalogue only, so a sealed value anywhere else would be
 * silently lost or left behind.
 */
class CatalogueScanTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void populatedDatabase_holdsNoCiphertextOutsideTheCatalogue(DatabaseKind kind) {
    String url = TestDatabases.emptyDatabase(kind, temp);
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    Path config = temp.resolve("Default.config.json");
    assertThat(
            ServerMain.execute(
                env, new String[] {"create-instance", "--config", config.toString()}))
        .isZero();
    assertThat(
            ServerMain.execute(
                env, new String[] {"database", "--connectionString", url, "--create"}))
        .isZero();
    assertThat(
            ServerMain.execute(
                env,
                new String[] {
                  "admin", "--username", "ops", "--password", "correct-horse", "--apiKey"
                }))
        .isZero();

    try (Database db = Database.open(url, false)) {
      List<String> sealedOutside = new ArrayList<>();
      int sealedInside =
          db.jdbi()
              .withHandle(
                  h -> {
                    int inside = 0;
                    for (String[] column : textColumns(h)) {
                      long sealed = countSealed(h, column[0], column[1]);
                      boolean catalogued =
                          EncryptedFieldCatalogue.find(column[0], column[1]).isPresent();
                      if (sealed > 0 && !catalogued) {
                        sealedOutside.add(column[0] + "." + column[1]);
                      }
                      inside += catalogued ? sealed : 0;
                    }
                    return inside;
                  });
      assertThat(sealedOutside).as("columns holding ciphertext outside the catalogue").isEmpty();
      assertThat(sealedInside).as("sealed values found in catalogued columns").isPositive();

      List<String> columns =
          db.jdbi()
              .withHandle(
                  h ->
                      textColumns(h).stream()
                          .map(c -> (c[0] + "." + c[1]).toLowerCase(java.util.Locale.ROOT))
                          .toList());
      for (EncryptedField field : EncryptedFieldCatalogue.all()) {
        assertThat(columns).as("catalogued column exists").contains(field.toString());
      }
    }
  }

  private static List<String[]> textColumns(Handle h) {
    return h.createQuery(
            "SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = CURRENT_SCHEMA"
                + " AND LOWER(data_type) IN ('text', 'character varying', 'varchar',"
                + " 'character large object', 'clob')")
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
        .list();
  }

  private static long countSealed(Handle h, String table, String column) {
    return h
        .createQuery("SELECT \"" + column + "\" FROM \"" + table + "\"")
        .mapTo(String.class)
        .stream()
        .filter(v -> v != null && FieldCipher.looksSealed(v))
        .count();
  }
}
