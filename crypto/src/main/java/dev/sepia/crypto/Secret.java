package dev.sepia.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret typed in by a user (a password, a pasted key) that redacts itself: {@code toString()} is
 * {@code <masked>}, and there is no {@code equals}/{@code hashCode}. Kept as {@code char[]} so it
 * can be wiped; wiping is best effort — copies made by the JVM or by callers (including any {@code
 * String} it came from) are out of reach.
 */
public final class Secret {

  private final char[] chars;
  private boolean wiped;

  private Secret(char[] chars) {
    this.chars = chars;
  }

  /**
   * Wraps {@code value}; the string itself cannot be wiped, so prefer char[] sources when possible.
   */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value").toCharArray());
  }

  /**
   * A copy of the characters; the caller should wipe it when done.
   *
   * @throws IllegalStateException if the secret was wiped
   */
  public synchronized char[] chars() {
    if (wiped) {
      throw new IllegalStateException("This secret has been wiped and can no longer be read.");
    }
    return chars.clone();
  }

  /** Overwrites the characters. Best effort only: see the class comment. */
  public synchronized void wipe() {
    Arrays.fill(chars, '\0');
    wiped = true;
  }

  @Override
  public String toString() {
    return "<masked>";
  }
}
