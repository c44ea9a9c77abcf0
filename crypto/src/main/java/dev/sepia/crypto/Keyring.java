package dev.sepia.crypto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable set of keys, each known by its key id (its term), with one active key that seals new
 * values. Rotation is {@link #withActive}: the new key seals, older keys still open what they
 * sealed until re-encryption is done and they are dropped with {@link #without}. Immutability is
 * what makes rotation safe while the server runs: a reader holds one consistent keyring.
 */
public final class Keyring {

  private final Map<String, SymmetricKey> keys;
  private final SymmetricKey active;

  private Keyring(Map<String, SymmetricKey> keys, SymmetricKey active) {
    this.keys = keys;
    this.active = active;
  }

  /** A keyring holding just {@code active}. */
  public static Keyring of(SymmetricKey active) {
    Objects.requireNonNull(active, "active");
    Map<String, SymmetricKey> keys = new LinkedHashMap<>();
    keys.put(active.keyId(), active);
    return new Keyring(keys, active);
  }

  /**
   * A new keyring in which {@code newActive} seals and every key of this one still opens. Making an
   * already present key active again is allowed.
   *
   * @throws IllegalArgumentException if a different key with the same id is already present
   */
  public Keyring withActive(SymmetricKey newActive) {
    return new Keyring(adding(newActive), newActive);
  }

  /**
   * A new keyring that also opens what {@code opener} sealed, while the active key stays. This is
   * the first half of a rotation across several servers: each takes the new key as an opener, and
   * only when all of them can open with it does any start sealing with it.
   *
   * @throws IllegalArgumentException if a different key with the same id is already present
   */
  public Keyring withOpener(SymmetricKey opener) {
    return new Keyring(adding(opener), active);
  }

  private Map<String, SymmetricKey> adding(SymmetricKey key) {
    Objects.requireNonNull(key, "key");
    SymmetricKey existing = keys.get(key.keyId());
    if (existing != null && !existing.sameKeyAs(key)) {
      throw new IllegalArgumentException(
          "The keyring already holds a different key with id "
              + key.keyId()
              + "; generate another key.");
    }
    Map<String, SymmetricKey> copy = new LinkedHashMap<>(keys);
    copy.putIfAbsent(key.keyId(), key);
    return copy;
  }

  /**
   * A new keyring without the key {@code keyId}; values sealed with it can no longer be opened.
   * Removing an id that is not present returns this keyring, so a retried removal is harmless.
   *
   * @throws IllegalStateException if {@code keyId} is the active key
   */
  public Keyring without(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.equals(active.keyId())) {
      throw new IllegalStateException(
          "Key "
              + keyId
              + " is the active key of this keyring and cannot be removed; make another key"
              + " active first.");
    }
    if (!keys.containsKey(keyId)) {
      return this;
    }
    Map<String, SymmetricKey> copy = new LinkedHashMap<>(keys);
    copy.remove(keyId);
    return new Keyring(copy, active);
  }

  /** The key that seals new values. */
  public SymmetricKey active() {
    return active;
  }

  /** The key with this id, if this keyring holds it. */
  public Optional<SymmetricKey> find(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** Ids of all keys, oldest first. */
  public List<String> keyIds() {
    return List.copyOf(keys.keySet());
  }

  @Override
  public String toString() {
    return "Keyring{active=" + active.keyId() + ", keys=" + keys.keySet() + "}";
  }
}
