package dev.sepia.server.model.accounts;

/**
 * What a caller asks to store for an account. For each secret: null keeps the stored value (or
 * leaves it unset on a new account), an empty string clears it, anything else replaces it. Secrets
 * the kind does not use are cleared when the account is saved.
 */
public record AccountChange(
    String name,
    AccountKind kind,
    String description,
    String username,
    String password,
    String privateKey,
    String passphrase,
    String token) {

  @Override
  public String toString() {
    return "AccountChange{name="
        + name
        + ", kind="
        + kind
        + ", username="
        + username
        + ", secrets=<masked>}";
  }
}
