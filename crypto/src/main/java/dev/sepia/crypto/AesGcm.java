package dev.sepia.crypto;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message, written in front of the ciphertext. Random
 * nonces are safe far beyond the number of values Sepia will ever encrypt under one key (the usual
 * limit is 2^32 messages per key).
 */
final class AesGcm implements Aead {

  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec key;

  AesGcm(byte[] keyBytes) {
    this.key = new SecretKeySpec(keyBytes, "AES");
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return encryptWithNonce(Randomness.bytes(NONCE_BYTES), plaintext, associatedData);
  }

  /** Package-private so tests can run published vectors; production callers never pick nonces. */
  byte[] encryptWithNonce(byte[] nonce, byte[] plaintext, byte[] associatedData)
      throws GeneralSecurityException {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(associatedData, "associatedData");
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("An AES-GCM nonce here is 12 bytes");
    }
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
    cipher.updateAAD(associatedData);
    byte[] output = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
    System.arraycopy(nonce, 0, output, 0, NONCE_BYTES);
    int written = cipher.doFinal(plaintext, 0, plaintext.length, output, NONCE_BYTES);
    if (written != output.length - NONCE_BYTES) {
      throw new GeneralSecurityException("AES-GCM produced an unexpected output length");
    }
    return output;
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws DecryptionFailedException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(associatedData, "associatedData");
    if (ciphertext.length < NONCE_BYTES + TAG_BYTES) {
      throw new DecryptionFailedException();
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BYTES * 8, ciphertext, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
    } catch (GeneralSecurityException | RuntimeException e) {
      // Deliberately dropped: all failures must look alike (see DecryptionFailedException).
      throw new DecryptionFailedException();
    }
  }

  @Override
  public String toString() {
    return "AesGcm{<masked>}";
  }
}
