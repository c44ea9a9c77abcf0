package dev.sepia.tentacle.files;

/** A download of a file that is not there. Error type {@code FileNotFound}. */
public final class FileNotFound extends Exception {
  public FileNotFound(String path) {
    super("There is no file '" + path + "' in this Tentacle's files folder.");
  }
}
