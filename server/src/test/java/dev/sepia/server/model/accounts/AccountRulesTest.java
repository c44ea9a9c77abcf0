package dev.sepia.server.model.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each kind of account needs before it is stored. */
class AccountRulesTest {
  static final String RSA_KEY =
      "-----BEGIN RSA PRIVATE KEY-----\n"
          + "Proc-Type: 4,ENCRYPTED\n"
          + "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n"
          + "\n"
          + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
          + "-----END RSA PRIVATE KEY-----";

  static AccountChange change(
      AccountKind kind, String username, String password, String key, String token) {
    return new AccountChange("a", kind, null, username, password, key, null, token);
  }

  @Test
  void eachKind_needsItsOwnSecrets() {
    assertThat(
            AccountRules.problems(change(AccountKind.UsernamePassword, "u", "p", null, null), null))
        .isEmpty();
    assertThat(
            AccountRules.problems(
                change(AccountKind.UsernamePassword, null, null, null, null), null))
        .containsExactly(
            "username: required for a UsernamePassword account",
            "password: required for a UsernamePassword account");
    assertThat(
            AccountRules.problems(change(AccountKind.SshKeyPair, "u", null, RSA_KEY, null), null))
        .isEmpty();
    assertThat(AccountRules.problems(change(AccountKind.Token, null, null, null, "t"), null))
        .isEmpty();
    assertThat(AccountRules.problems(change(AccountKind.Token, null, "p", null, null), null))
        .containsExactly(
            "token: required for a Token account",
            "password: a Token account has none; leave it out");
  }

  @Test
  void anSshKey_mustLookLikeAPrivateKeyBlock() {
    assertThat(AccountRules.isPrivateKeyBlock(RSA_KEY)).isTrue();
    assertThat(AccountRules.isPrivateKeyBlock(RSA_KEY.replace("\n", "\r\n"))).isTrue();
    assertThat(AccountRules.isPrivateKeyBlock("ssh-rsa AAAAB3NzaC1yc2E user@host")).isFalse();
    assertThat(
            AccountRules.isPrivateKeyBlock(
                RSA_KEY.replace("-----END RSA PRIVATE KEY-----", "-----END EC PRIVATE KEY-----")))
        .isFalse();
    assertThat(
            AccountRules.isPrivateKeyBlock(
                "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC\n"
                    + "-----END PUBLIC KEY-----"))
        .isFalse();
    assertThat(
            AccountRules.problems(change(AccountKind.SshKeyPair, "u", null, "hello", null), null))
        .singleElement()
        .asString()
        .startsWith("privateKey: not a private key");
  }

  @Test
  void onUpdate_storedSecretsOfTheSameKindNeedNotBeRepeated_butANewKindsDo() {
    Account stored =
        new Account(
            "Accounts-1", "a", AccountKind.UsernamePassword, null, "u", true, false, false, false);
    assertThat(
            AccountRules.problems(
                change(AccountKind.UsernamePassword, "u", null, null, null), stored))
        .isEmpty();
    assertThat(
            AccountRules.problems(
                change(AccountKind.UsernamePassword, "u", "", null, null), stored))
        .containsExactly("password: required for a UsernamePassword account");
    assertThat(AccountRules.problems(change(AccountKind.Token, "u", null, null, null), stored))
        .containsExactly("token: required for a Token account");
  }

  @Test
  void toString_masksSecrets() {
    assertThat(change(AccountKind.UsernamePassword, "u", "hunter2-marker", null, null).toString())
        .doesNotContain("hunter2-marker");
  }
}
