package dev.sepia.server.model.accounts;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an account holds, which decides the secrets it needs. */
public enum AccountKind {
  /** A user name and a password. */
  UsernamePassword,
  /** A user name and an SSH private key, with an optional passphrase for the key. */
  SshKeyPair,
  /** A single token, e.g. for an HTTP API. */
  Token;

  /**
   * The kind named by {@code text}, in any case.
   *
   * @throws IllegalArgumentException listing the kinds there are
   */
  public static AccountKind parse(String text) {
    if (text != null) {
      for (AccountKind kind : values()) {
        if (kind.name().toLowerCase(Locale.ROOT).equals(text.trim().toLowerCase(Locale.ROOT))) {
          return kind;
        }
      }
    }
    throw new IllegalArgumentException("must be one of " + names());
  }

  static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
