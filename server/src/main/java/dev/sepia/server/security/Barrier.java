package dev.sepia.server.security;

import dev.sepia.crypto.FieldCipher;
import dev.sepia.crypto.FieldLocation;
import dev.sepia.crypto.Keyring;
import dev.sepia.server.store.catalogue.EncryptedField;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The single place where sensitive database values are sealed and opened. Each value is bound to
 * its catalogued column and its row, so a value copied onto another row or column does not open. A
 * barrier starts sealed: until the master key has been checked against the database, every use
 * fails with an error an operator understands.
 */
public final class Barrier {
  private final Keyring keyring;

  private Barrier(Keyring keyring) {
    this.keyring = keyring;
  }

  public static Barrier sealed() {
    return new Barrier(null);
  }

  /** Only after {@link MasterKeyGate} has verified the key against the database. */
  public static Barrier unsealed(Keyring keyring) {
    return new Barrier(keyring);
  }

  public boolean isSealed() {
    return keyring == null;
  }

  public String seal(EncryptedField field, String rowId, String plaintext) {
    return seal(field, rowId, plaintext.getBytes(StandardCharsets.UTF_8));
  }

  public String seal(EncryptedField field, String rowId, byte[] plaintext) {
    try {
      return FieldCipher.seal(requireKeyring(), location(field, rowId), plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Sealing " + field + " failed", e);
    }
  }

  /** Opens a value; fails with "decryption failed" when the key or the location is wrong. */
  public byte[] open(EncryptedField field, String rowId, String sealed)
      throws GeneralSecurityException {
    return FieldCipher.open(requireKeyring(), location(field, rowId), sealed);
  }

  public String openString(EncryptedField field, String rowId, String sealed)
      throws GeneralSecurityException {
    return new String(open(field, rowId, sealed), StandardCharsets.UTF_8);
  }

  private static FieldLocation location(EncryptedField field, String rowId) {
    return new FieldLocation(field.table(), field.column(), rowId);
  }

  private Keyring requireKeyring() {
    if (keyring == null) {
      throw new SealedException();
    }
    return keyring;
  }

  @Override
  public String toString() {
    return isSealed() ? "Barrier{sealed}" : "Barrier{unsealed, " + keyring + "}";
  }
}
