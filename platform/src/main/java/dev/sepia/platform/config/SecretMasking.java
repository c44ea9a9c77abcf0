package dev.sepia.platform.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets when settings are shown ({@code show-configuration}, logs, reports). It errs on the
 * side of masking: a masked value that was not secret costs a look at the file; the reverse leaks.
 */
public final class SecretMasking {

  public static final String MASK = "<masked>";

  private static final List<String> SECRET_WORDS =
      List.of(
          "masterkey",
          "password",
          "passwd",
          "pwd",
          "secret",
          "certificate",
          "privatekey",
          "apikey",
          "token");

  // key=value pairs at the start, or after '?', '&' or ';' (JDBC query strings, ADO.NET-style
  // "Host=db;Password=x"). The value may be quoted, which lets it contain ';'.
  private static final Pattern PAIR =
      Pattern.compile("(^|[?&;])(\\s*)([A-Za-z0-9_. -]+?)(\\s*=\\s*)(\"[^\"]*\"|'[^']*'|[^&;]*)");

  // scheme://user:password@host — the password may itself contain '@', so take up to the last
  // '@' before the path.
  private static final Pattern USERINFO = Pattern.compile("(//[^/:@?#;\\s]*):([^/?#\\s]*)@");

  private SecretMasking() {}

  /**
   * Masks passwords in a connection string: {@code password=}/{@code pwd=} pairs (and any other key
   * that {@link #looksSecretKey looks secret}) in JDBC query strings and {@code ;}-separated
   * strings, and the password in {@code user:password@host}. Keys match in any case.
   */
  public static String maskConnectionString(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    Matcher pairs = PAIR.matcher(s);
    StringBuilder out = new StringBuilder();
    while (pairs.find()) {
      String key = pairs.group(3).trim();
      String replacement =
          looksSecretKey(key)
              ? pairs.group(1) + pairs.group(2) + pairs.group(3) + pairs.group(4) + MASK
              : pairs.group();
      pairs.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    pairs.appendTail(out);
    return USERINFO
        .matcher(out)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
  }

  /**
   * True for setting names that hold secrets: containing MasterKey, Password, Pwd, Secret,
   * Certificate or PrivateKey, ApiKey or Token, in any case.
   */
  public static boolean looksSecretKey(String settingName) {
    if (settingName == null) {
      return false;
    }
    String lower = settingName.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains);
  }
}
