package dev.sepia.server.startup;

import dev.sepia.platform.cli.OperatorException;
import java.net.URI;
import java.net.URISyntaxException;

/** Parses and checks the web listen prefix (for example http://localhost:8050). */
public final class ListenPrefix {
  private ListenPrefix() {}

  public static URI parse(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw invalid(value, "it is not a URL");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw invalid(
          value,
          "the scheme must be http (to serve HTTPS, put a TLS-terminating proxy in front of"
              + " Sepia)");
    }
    if (uri.getHost() == null) {
      throw invalid(value, "it names no host");
    }
    if (uri.getPort() < 1 || uri.getPort() > 65535) {
      throw invalid(value, "it needs a port between 1 and 65535");
    }
    return uri;
  }

  private static OperatorException invalid(String value, String why) {
    return new OperatorException(
        "The web listen prefix '"
            + value
            + "' cannot be used: "
            + why
            + ". Example: --webListenPrefixes http://0.0.0.0:8050",
        2);
  }
}
