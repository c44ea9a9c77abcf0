package dev.sepia.crypto;

import java.security.GeneralSecurityException;

/**
 * Authenticated encryption with associated data.
 *
 * <p>Guarantee: the plaintext is kept confidential and cannot be changed without {@link #decrypt}
 * noticing. The associated data is authenticated but <em>not</em> encrypted: it is not part of the
 * output, and decryption succeeds only when the caller passes exactly the same associated data that
 * was used to encrypt. Use it to bind a ciphertext to its context (where it is stored, which key id
 * it names), so a value moved elsewhere does not decrypt. Pass an empty array for none.
 *
 * <p>Every decryption failure — wrong key, changed ciphertext, wrong associated data, truncated
 * input — throws {@link DecryptionFailedException} with the same message, so a caller cannot learn
 * which check failed.
 */
public interface Aead {

  /** Encrypts {@code plaintext}; each call uses a fresh random nonce, so outputs never repeat. */
  byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;

  /**
   * Decrypts and verifies {@code ciphertext}.
   *
   * @throws DecryptionFailedException if anything about the input or the key is wrong
   */
  byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException;
}
