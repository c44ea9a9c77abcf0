package dev.sepia.server.model.accounts;

import dev.sepia.crypto.Secret;
import dev.sepia.server.recovery.ClearedValues;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.NamedPages;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Accounts in the database. Secrets are sealed through the {@link Barrier}, bound to the account's
 * row, and come back out only through {@link #open}; everything else here reports only whether a
 * secret is set.
 */
public final class AccountStore {
  private static final String COLUMNS =
      "id, name, kind, description, username, password IS NOT NULL AS password_set,"
          + " private_key IS NOT NULL AS private_key_set, passphrase IS NOT NULL AS passphrase_set,"
          + " token IS NOT NULL AS token_set";

  private static final RowMapper<Account> ACCOUNT =
      (rs, ctx) ->
          new Account(
              rs.getString("id"),
              rs.getString("name"),
              AccountKind.valueOf(rs.getString("kind")),
              rs.getString("description"),
              rs.getString("username"),
              rs.getBoolean("password_set"),
              rs.getBoolean("private_key_set"),
              rs.getBoolean("passphrase_set"),
              rs.getBoolean("token_set"));

  private final Jdbi jdbi;

  public AccountStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public record Page(List<Account> items, int totalResults) {}

  /** Accounts ordered by name; {@code nameFilter} (case-insensitive contains) may be null. */
  public Page page(String nameFilter, int skip, int take) {
    NamedPages.Result<Account> result =
        NamedPages.find(jdbi, "accounts", COLUMNS, "name", "name", ACCOUNT, nameFilter, skip, take);
    return new Page(result.items(), result.totalResults());
  }

  public Optional<Account> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  public static Optional<Account> find(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = :id")
        .bind("id", id)
        .map(ACCOUNT)
        .findOne();
  }

  /** The account with this name, compared without regard to case. */
  public static Optional<Account> findByName(Handle h, String name) {
    return h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE LOWER(name) = LOWER(:name)")
        .bind("name", name.trim())
        .map(ACCOUNT)
        .findOne();
  }

  /**
   * Stores a new account; the caller has checked it with {@link AccountRules}.
   *
   * @return the new account's id
   */
  public static String insert(Handle h, Barrier barrier, AccountChange change) {
    String id = "Accounts-" + UUID.randomUUID();
    Instant now = Instant.now();
    h.createUpdate(
            "INSERT INTO accounts (id, name, kind, description, username, created_at, updated_at)"
                + " VALUES (:id, :name, :kind, :description, :username, :now, :now)")
        .bind("id", id)
        .bind("name", change.name().trim())
        .bind("kind", change.kind().name())
        .bind("description", change.description())
        .bind("username", trimmedOrNull(change.username()))
        .bind("now", now)
        .execute();
    writeSecrets(h, barrier, id, change, new SealedRow(null, null, null, null));
    return id;
  }

  /**
   * Replaces an account's name, kind, description and user name, and its secrets as {@link
   * AccountChange} describes: null keeps, empty clears, text replaces; secrets the kind does not
   * use are cleared.
   */
  public static void update(Handle h, Barrier barrier, String id, AccountChange change) {
    SealedRow stored = sealedRow(h, id);
    h.createUpdate(
            "UPDATE accounts SET name = :name, kind = :kind, description = :description,"
                + " username = :username, updated_at = :now WHERE id = :id")
        .bind("id", id)
        .bind("name", change.name().trim())
        .bind("kind", change.kind().name())
        .bind("description", change.description())
        .bind("username", trimmedOrNull(change.username()))
        .bind("now", Instant.now())
        .execute();
    writeSecrets(h, barrier, id, change, stored);
  }

  public static void delete(Handle h, String id) {
    h.createUpdate("DELETE FROM accounts WHERE id = :id").bind("id", id).execute();
  }

  /** Names of the targets that sign in with this account; an account in use is not deleted. */
  public static List<String> machinesUsing(Handle h, String id) {
    return h.createQuery("SELECT name FROM machines WHERE account_id = :id ORDER BY name")
        .bind("id", id)
        .mapTo(String.class)
        .list();
  }

  /**
   * Opens the account's secrets, for the code that signs in with them.
   *
   * @throws IllegalArgumentException if there is no such account
   * @throws IllegalStateException if a secret does not open with the current master key, or a
   *     recovery from a lost master key cleared it (the message says where to set it again)
   */
  public static AccountSecrets open(Handle h, Barrier barrier, String id) {
    SealedRow row = sealedRow(h, id);
    String name =
        h.createQuery("SELECT name FROM accounts WHERE id = :id")
            .bind("id", id)
            .mapTo(String.class)
            .one();
    return new AccountSecrets(
        open(h, barrier, EncryptedFieldCatalogue.ACCOUNT_PASSWORD, id, name, row.password()),
        open(h, barrier, EncryptedFieldCatalogue.ACCOUNT_PRIVATE_KEY, id, name, row.privateKey()),
        open(h, barrier, EncryptedFieldCatalogue.ACCOUNT_PASSPHRASE, id, name, row.passphrase()),
        open(h, barrier, EncryptedFieldCatalogue.ACCOUNT_TOKEN, id, name, row.token()));
  }

  private record SealedRow(String password, String privateKey, String passphrase, String token) {}

  private static SealedRow sealedRow(Handle h, String id) {
    return h.createQuery(
            "SELECT password, private_key, passphrase, token FROM accounts WHERE id = :id")
        .bind("id", id)
        .map(
            (rs, ctx) ->
                new SealedRow(
                    rs.getString("password"),
                    rs.getString("private_key"),
                    rs.getString("passphrase"),
                    rs.getString("token")))
        .findOne()
        .orElseThrow(() -> new IllegalArgumentException("There is no account with id " + id));
  }

  private static void writeSecrets(
      Handle h, Barrier barrier, String id, AccountChange change, SealedRow stored) {
    AccountKind kind = change.kind();
    boolean login = kind == AccountKind.UsernamePassword;
    boolean ssh = kind == AccountKind.SshKeyPair;
    boolean token = kind == AccountKind.Token;
    h.createUpdate(
            "UPDATE accounts SET password = :password, private_key = :privateKey,"
                + " passphrase = :passphrase, token = :token WHERE id = :id")
        .bind("id", id)
        .bind(
            "password",
            next(
                barrier,
                EncryptedFieldCatalogue.ACCOUNT_PASSWORD,
                id,
                login,
                change.password(),
                stored.password()))
        .bind(
            "privateKey",
            next(
                barrier,
                EncryptedFieldCatalogue.ACCOUNT_PRIVATE_KEY,
                id,
                ssh,
                change.privateKey(),
                stored.privateKey()))
        .bind(
            "passphrase",
            next(
                barrier,
                EncryptedFieldCatalogue.ACCOUNT_PASSPHRASE,
                id,
                ssh,
                change.passphrase(),
                stored.passphrase()))
        .bind(
            "token",
            next(
                barrier,
                EncryptedFieldCatalogue.ACCOUNT_TOKEN,
                id,
                token,
                change.token(),
                stored.token()))
        .execute();
  }

  /** The sealed value a column gets: cleared if unused or emptied, kept if not given, or new. */
  private static String next(
      Barrier barrier, EncryptedField field, String id, boolean used, String given, String stored) {
    if (!used || (given != null && given.isEmpty())) {
      return null;
    }
    if (given == null) {
      return stored;
    }
    return barrier.seal(field, id, given);
  }

  private static Secret open(
      Handle h, Barrier barrier, EncryptedField field, String id, String name, String sealed) {
    if (sealed == null) {
      if (ClearedValues.wasCleared(h, field, id)) {
        throw new IllegalStateException(ClearedValues.failure(h, field, id).getMessage());
      }
      return null;
    }
    try {
      return Secret.of(barrier.openString(field, id, sealed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "The "
              + field.description()
              + " of account '"
              + name
              + "' cannot be opened with this server's master key ("
              + e.getMessage()
              + "). Enter it again on the account.");
    }
  }

  private static String trimmedOrNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
