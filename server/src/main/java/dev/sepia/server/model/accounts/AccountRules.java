package dev.sepia.server.model.accounts;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What makes an account complete: a name, and the secrets its kind needs. Problems are described by
 * field, never by quoting a secret.
 */
public final class AccountRules {
  static final int MAX_NAME = 200;
  static final int MAX_USERNAME = 200;

  // A PEM or OpenSSH private key block: "-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED ]PRIVATE
  // KEY-----",
  // some base64 (PEM headers such as Proc-Type may come first), and the matching END line.
  private static final Pattern PRIVATE_KEY_BLOCK =
      Pattern.compile(
          "-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----\\s*(?:[A-Za-z-]+:[^\\n]*\\n\\s*)*"
              + "[A-Za-z0-9+/=\\s]{16,}-----END \\1PRIVATE KEY-----");

  private AccountRules() {}

  /**
   * The problems with {@code change}, or an empty list.
   *
   * @param existing the account being changed, or null for a new account: a secret already stored
   *     for the same kind need not be given again
   */
  public static List<String> problems(AccountChange change, Account existing) {
    List<String> problems = new ArrayList<>();
    String name = change.name() == null ? "" : change.name().trim();
    if (name.isEmpty() || name.length() > MAX_NAME) {
      problems.add("name: required, at most " + MAX_NAME + " characters");
    }
    if (change.username() != null && change.username().trim().length() > MAX_USERNAME) {
      problems.add("username: at most " + MAX_USERNAME + " characters");
    }
    AccountKind kind = change.kind();
    if (kind == null) {
      problems.add("kind: required, one of " + AccountKind.names());
      return problems;
    }
    boolean sameKind = existing != null && existing.kind() == kind;
    switch (kind) {
      case UsernamePassword -> {
        requireUsername(change, kind, problems);
        requireSecret(
            "password", change.password(), sameKind && existing.passwordSet(), kind, problems);
        refuse("privateKey", change.privateKey(), kind, problems);
        refuse("passphrase", change.passphrase(), kind, problems);
        refuse("token", change.token(), kind, problems);
      }
      case SshKeyPair -> {
        requireUsername(change, kind, problems);
        requireSecret(
            "privateKey",
            change.privateKey(),
            sameKind && existing.privateKeySet(),
            kind,
            problems);
        if (change.privateKey() != null
            && !change.privateKey().isEmpty()
            && !isPrivateKeyBlock(change.privateKey())) {
          problems.add(
              "privateKey: not a private key. Paste the whole key file, from its"
                  + " '-----BEGIN … PRIVATE KEY-----' line to its '-----END … PRIVATE KEY-----'"
                  + " line (PEM or OpenSSH format)");
        }
        refuse("password", change.password(), kind, problems);
        refuse("token", change.token(), kind, problems);
      }
      case Token -> {
        requireSecret("token", change.token(), sameKind && existing.tokenSet(), kind, problems);
        refuse("password", change.password(), kind, problems);
        refuse("privateKey", change.privateKey(), kind, problems);
        refuse("passphrase", change.passphrase(), kind, problems);
      }
    }
    return problems;
  }

  /** Whether {@code text} holds a PEM or OpenSSH private key block, BEGIN to matching END. */
  public static boolean isPrivateKeyBlock(String text) {
    return text != null && PRIVATE_KEY_BLOCK.matcher(text.replace("\r\n", "\n")).find();
  }

  private static void requireUsername(
      AccountChange change, AccountKind kind, List<String> problems) {
    if (change.username() == null || change.username().isBlank()) {
      problems.add("username: required for a " + kind + " account");
    }
  }

  private static void requireSecret(
      String field, String value, boolean alreadyStored, AccountKind kind, List<String> problems) {
    boolean given = value != null && !value.isEmpty();
    boolean cleared = value != null && value.isEmpty();
    if (cleared || (!given && !alreadyStored)) {
      problems.add(field + ": required for a " + kind + " account");
    }
  }

  private static void refuse(String field, String value, AccountKind kind, List<String> problems) {
    if (value != null && !value.isEmpty()) {
      problems.add(field + ": a " + kind + " account has none; leave it out");
    }
  }
}
