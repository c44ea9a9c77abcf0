package dev.sepia.crypto;

import com.codahale.shamir.Scheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a master key into N shares of which any K give it back, and fewer than K tell nothing
 * about it (Shamir's secret sharing over GF(256), by the {@code com.codahale:shamir} library; no
 * field arithmetic here). Used so that no single person or machine can lose, or leak, the key.
 *
 * <p>Hazard: K−1 shares of Shamir do not fail, they recombine to a <em>different</em> key. So the
 * join counts shares against the K written in them, and compares the recombined key's id with the
 * id written in the shares; it never returns a key the shares do not name.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} whose message an operator can act on and
 * which never repeats share material.
 */
public final class MasterKeyShares {
  /** Fewest shares a split may need: with one, every share would be the key. */
  public static final int MIN_THRESHOLD = 2;

  /** Most shares a split may make: GF(256) has 255 non-zero points. */
  public static final int MAX_SHARES = 255;

  private MasterKeyShares() {}

  /**
   * Splits {@code key} into {@code shares} shares, any {@code threshold} of which give it back.
   *
   * @throws IllegalArgumentException unless 2 ≤ threshold ≤ shares ≤ 255
   */
  public static List<KeyShare> split(SymmetricKey key, int shares, int threshold) {
    Objects.requireNonNull(key, "key");
    if (threshold < MIN_THRESHOLD || shares < threshold || shares > MAX_SHARES) {
      throw new IllegalArgumentException(
          "A master key is split into 2 to "
              + MAX_SHARES
              + " shares, of which 2 or more (and at most all of them) are needed to recombine"
              + " it: the threshold must be between 2 and the number of shares; got "
              + shares
              + " shares and threshold "
              + threshold
              + ".");
    }
    byte[] secret = key.copyOfBytes();
    Map<Integer, byte[]> parts;
    try {
      parts = new Scheme(Randomness.secureRandom(), shares, threshold).split(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    List<KeyShare> result = new ArrayList<>(shares);
    for (int index = 1; index <= shares; index++) {
      byte[] part = parts.get(index);
      result.add(new KeyShare(key.keyId(), threshold, shares, index, part));
      Arrays.fill(part, (byte) 0);
    }
    return List.copyOf(result);
  }

  /**
   * Reads share lines as an operator gave them and recombines the key; messages name a share by its
   * position in {@code lines} ("Share 2 is mistyped").
   *
   * @throws IllegalArgumentException if a line is not a share, or the shares do not give the key
   */
  public static SymmetricKey join(List<String> lines) {
    List<KeyShare> shares = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      shares.add(parse(lines.get(i), i + 1));
    }
    return joinShares(shares);
  }

  /**
   * Reads one share line, naming it in messages by its position ("Share 2 is mistyped").
   *
   * @throws IllegalArgumentException if the line is not a share
   */
  public static KeyShare parse(String line, int position) {
    return KeyShare.parse(line, "Share " + position);
  }

  /**
   * Recombines the key from shares of one split. Positions in {@code shares} name shares in
   * messages.
   *
   * @throws IllegalArgumentException if the shares are of different keys or splits, repeat one
   *     another, are fewer than the split needs, or do not give back the key they name
   */
  public static SymmetricKey joinShares(List<KeyShare> shares) {
    if (shares.isEmpty()) {
      throw new IllegalArgumentException("No shares were given.");
    }
    KeyShare first = shares.get(0);
    Map<Integer, Integer> positionOfIndex = new HashMap<>();
    Map<Integer, byte[]> parts = new LinkedHashMap<>();
    try {
      for (int i = 0; i < shares.size(); i++) {
        KeyShare share = shares.get(i);
        if (!share.keyId().equals(first.keyId())) {
          throw new IllegalArgumentException(
              "Shares 1 and "
                  + (i + 1)
                  + " belong to different master keys (key ids "
                  + first.keyId()
                  + " and "
                  + share.keyId()
                  + "): give shares of one key only.");
        }
        if (share.threshold() != first.threshold() || share.total() != first.total()) {
          throw new IllegalArgumentException(
              "Shares 1 and "
                  + (i + 1)
                  + " come from different splits ("
                  + first.split()
                  + " and "
                  + share.split()
                  + "): give shares that were printed together.");
        }
        Integer earlier = positionOfIndex.putIfAbsent(share.index(), i + 1);
        if (earlier != null) {
          throw new IllegalArgumentException(
              "Shares "
                  + earlier
                  + " and "
                  + (i + 1)
                  + " are the same share (number "
                  + share.index()
                  + " of "
                  + share.total()
                  + "): "
                  + first.threshold()
                  + " different shares are needed.");
        }
        parts.put(share.index(), share.value());
      }
      if (parts.size() < first.threshold()) {
        throw new IllegalArgumentException(
            first.threshold()
                + " shares are needed, "
                + parts.size()
                + (parts.size() == 1 ? " was" : " were")
                + " given.");
      }
      byte[] secret =
          new Scheme(Randomness.secureRandom(), first.total(), first.threshold()).join(parts);
      SymmetricKey key;
      try {
        key = SymmetricKey.fromBytes(secret);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
      if (!key.keyId().equals(first.keyId())) {
        throw new IllegalArgumentException(
            "The shares do not recombine to master key "
                + first.keyId()
                + ": they come from different splits of the key (was show-master-key --shares"
                + " run more than once?). Give shares that were printed together.");
      }
      return key;
    } finally {
      parts.values().forEach(p -> Arrays.fill(p, (byte) 0));
    }
  }
}
