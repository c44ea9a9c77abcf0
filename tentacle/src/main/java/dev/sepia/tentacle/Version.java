package dev.sepia.tentacle;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, written into a resource by the build. */
public final class Version {
  private Version() {}

  public static String current() {
    try (InputStream in = Version.class.getResourceAsStream("/sepia-tentacle-version.properties")) {
      if (in == null) {
        return "development";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "development");
    } catch (IOException e) {
      return "development";
    }
  }
}
