package dev.sepia.crypto;

import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * A value was protected by another machine's key, typically because a config file was copied
 * between machines. Distinct from {@link DecryptionFailedException} because the operator can act on
 * it: the message names both key ids and this machine's key file.
 */
public final class ForeignMachineException extends GeneralSecurityException {

  private final String valueKeyId;
  private final String machineKeyId;

  public ForeignMachineException(String valueKeyId, String machineKeyId, Path machineKeyFile) {
    super(
        "This value was protected on another machine (machine key "
            + valueKeyId
            + "); this machine's key is "
            + machineKeyId
            + " ("
            + machineKeyFile
            + "). A config file copied from another machine cannot be opened here.");
    this.valueKeyId = valueKeyId;
    this.machineKeyId = machineKeyId;
  }

  /** The machine key id named by the value. */
  public String valueKeyId() {
    return valueKeyId;
  }

  /** The key id of this machine. */
  public String machineKeyId() {
    return machineKeyId;
  }
}
