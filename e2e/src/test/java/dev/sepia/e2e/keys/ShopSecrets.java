package dev.sepia.e2e.keys;

import java.util.List;
import java.util.UUID;

/**
 * The secret values one test run stores, each unique to the run, so that a leak into any output can
 * be searched for.
 */
public record ShopSecrets(
    String dbPassword,
    String librarySecret,
    String token,
    String accountPassword,
    String pfxPassword,
    String dropPassword) {

  public static ShopSecrets random() {
    return new ShopSecrets(
        secret("db"),
        secret("lib"),
        secret("token"),
        secret("account"),
        secret("pfx"),
        secret("drop"));
  }

  /** Every value, for "this text shows none of them" checks. */
  public String[] all() {
    return List.of(dbPassword, librarySecret, token, accountPassword, pfxPassword, dropPassword)
        .toArray(String[]::new);
  }

  /** A value no test stores: a passphrase, for instance. */
  public static String secret(String what) {
    return what + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
