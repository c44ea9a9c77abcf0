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
 *
 * <p>The keyring can be swapped while the server runs (a master key rotation gives it a new active
 * key, and later drops the old one). Keyrings are immutable and each seal or open reads the
 * reference once, so every operation uses one consistent keyring.
 */
public final class Barrier {
  private volatile Keyring keyring;

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

  /**
   * Makes {@code next} the keyring from now on. Only for an unsealed barrier, and only with a
   * keyring that still holds the current active key, which may have sealed values a moment ago (a
   * rotation adds the new key before it drops the old one).
   */
  public synchronized void switchTo(Keyring next) {
    Keyring current = requireKeyring();
    if (next.find(current.active().keyId()).isEmpty()) {
      throw new IllegalArgumentException(
          "The new keyring lacks key "
              + current.active().keyId()
              + ", which sealed values this server wrote; it would make them unreadable.");
    }
    keyring = next;
  }

  /** The id of the key that seals new values. */
  public String activeKeyId() {
    return requireKeyring().active().keyId();
  }

  /** The ids of every key that opens values, oldest first. */
  public java.util.List<String> keyIds() {
    return requireKeyring().keyIds();
  }

  /** The keyring in use now, for a rotation that derives the next one from it. */
  public Keyring keyring() {
    return requireKeyring();
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
    Keyring current = keyring;
    if (current == null) {
      throw new SealedException();
    }
    return current;
  }

  @Override
  public String toString() {
    return isSealed() ? "Barrier{sealed}" : "Barrier{unsealed, " + keyring + "}";
  }
}
