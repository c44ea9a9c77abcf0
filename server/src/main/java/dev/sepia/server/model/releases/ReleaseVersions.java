package dev.sepia.server.model.releases;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Release version numbers: which are valid, and the next one when none is given. */
public final class ReleaseVersions {
  public static final String FIRST = "0.0.1";
  private static final Pattern VALID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+-]{0,99}");
  private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

  private ReleaseVersions() {}

  public static boolean isValid(String version) {
    return version != null && VALID.matcher(version).matches();
  }

  /** The version after {@code latest}: its last number plus one ("1.2.9" → "1.2.10"). */
  public static String next(String latest) {
    if (latest == null) {
      return FIRST;
    }
    Matcher m = LAST_NUMBER.matcher(latest);
    if (!m.find()) {
      return latest + ".1";
    }
    BigInteger incremented = new BigInteger(m.group(1)).add(BigInteger.ONE);
    return latest.substring(0, m.start(1)) + incremented + latest.substring(m.end(1));
  }
}
