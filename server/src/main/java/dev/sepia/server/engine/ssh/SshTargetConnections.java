package dev.sepia.server.engine.ssh;

import dev.sepia.crypto.Secret;
import dev.sepia.server.model.accounts.Account;
import dev.sepia.server.model.accounts.AccountSecrets;
import dev.sepia.server.model.accounts.AccountStore;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.SshSettings;
import dev.sepia.server.security.Barrier;
import org.jdbi.v3.core.Jdbi;

/** Turns an SSH target and its account into what the SSH client needs, secrets opened late. */
public final class SshTargetConnections {
  private final Jdbi jdbi;
  private final Barrier barrier;

  public SshTargetConnections(Jdbi jdbi, Barrier barrier) {
    this.jdbi = jdbi;
    this.barrier = barrier;
  }

  /** An endpoint and credentials; wipe it when done. */
  public record Connection(SshEndpoint endpoint, SshCredentials credentials) {
    public void wipe() {
      switch (credentials) {
        case SshCredentials.Password p -> p.password().wipe();
        case SshCredentials.KeyPair k -> {
          k.privateKey().wipe();
          if (k.passphrase() != null) {
            k.passphrase().wipe();
          }
        }
      }
    }
  }

  public Connection forTarget(Machine target) throws SshFailure {
    SshSettings settings = target.ssh();
    if (settings == null) {
      throw new SshFailure(
          SshFailure.Kind.INVALID_CREDENTIALS, target.name() + " is not an SSH target.");
    }
    SshEndpoint endpoint =
        new SshEndpoint(settings.host(), settings.port(), settings.hostKeyFingerprint());
    AccountStore accounts = new AccountStore(jdbi);
    Account account =
        accounts
            .find(settings.accountId())
            .orElseThrow(
                () ->
                    new SshFailure(
                        SshFailure.Kind.INVALID_CREDENTIALS,
                        "The account of SSH target "
                            + target.name()
                            + " has been deleted; choose another account on the target."));
    AccountSecrets secrets;
    try {
      secrets = jdbi.withHandle(h -> AccountStore.open(h, barrier, account.id()));
    } catch (IllegalStateException | IllegalArgumentException e) {
      // The store's message names the account and says to enter its secrets again.
      throw new SshFailure(SshFailure.Kind.INVALID_CREDENTIALS, e.getMessage());
    }
    Secret privateKey = secrets.privateKey();
    SshCredentials credentials =
        privateKey != null
            ? new SshCredentials.KeyPair(account.username(), privateKey, secrets.passphrase())
            : new SshCredentials.Password(account.username(), secrets.password());
    return new Connection(endpoint, credentials);
  }
}
