package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;

/** Parses a --masterKey value; a malformed key is bad usage and changes nothing. */
final class MasterKeyArgument {
  private MasterKeyArgument() {}

  static SymmetricKey parse(String base64) {
    try {
      return SymmetricKey.fromBase64(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new OperatorException(
          "--masterKey: "
              + e.getMessage()
              + " Print the key of a working instance with: sepia-server show-master-key",
          2);
    }
  }
}
