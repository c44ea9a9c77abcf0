package dev.sepia.server.model.accounts;

import dev.sepia.crypto.Secret;

/**
 * An account's opened secrets, for the code that signs in with them; null where the account has
 * none. Each is a {@link Secret}, so printing this record shows only {@code <masked>}. Wipe them
 * when done.
 */
public record AccountSecrets(Secret password, Secret privateKey, Secret passphrase, Secret token) {
  /** Wipes every secret held (best effort, see {@link Secret#wipe()}). */
  public void wipe() {
    for (Secret s : new Secret[] {password, privateKey, passphrase, token}) {
      if (s != null) {
        s.wipe();
      }
    }
  }
}
