package dev.sepia.server.config;

import dev.sepia.server.store.DatabaseMetadata;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The address by which Tentacles and people reach this server (what Jenkins calls its URL and GoCD
 * its site URL), for the commands the web UI shows. The server cannot know it: it listens on {@code
 * 0.0.0.0}, and an administrator may be browsing through {@code localhost} or a tunnel. Kept in the
 * database, so every server node shows the same.
 */
public final class PublicUrl {
  static final String KEY = "public_url";

  /** The word that removes the setting. */
  public static final String NONE = "none";

  private PublicUrl() {}

  /**
   * Checks and normalises an address: absolute http or https, a host, no query or fragment, no
   * trailing slash.
   *
   * @throws IllegalArgumentException with a message naming the expected form
   */
  public static String parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw invalid(trimmed);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw invalid(trimmed);
    }
    String normalised = scheme + trimmed.substring(scheme.length());
    while (normalised.endsWith("/")) {
      normalised = normalised.substring(0, normalised.length() - 1);
    }
    return normalised;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "\""
            + text
            + "\" is not a web address for this server. Give the http or https address Tentacles"
            + " and browsers use, e.g. https://sepia.example.com or http://sepia01:8050, or "
            + NONE
            + " to remove it.");
  }

  public static Optional<String> read(Jdbi jdbi) {
    return jdbi.withHandle(h -> DatabaseMetadata.get(h, KEY)).filter(s -> !s.isBlank());
  }

  /** Saves the address, or removes it when {@code url} is null. */
  public static void save(Handle h, String url) {
    if (url == null) {
      DatabaseMetadata.remove(h, KEY);
    } else {
      DatabaseMetadata.put(h, KEY, url);
    }
  }
}
