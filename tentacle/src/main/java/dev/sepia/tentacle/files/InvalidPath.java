package dev.sepia.tentacle.files;

/**
 * A path that does not name a file inside the Tentacle's files folder: absolute, climbing out with
 * {@code ..}, or through a link. The class name is the error type the caller sees ({@code
 * InvalidPath}).
 */
public final class InvalidPath extends Exception {
  public InvalidPath(String path, String why) {
    super("The path '" + path + "' is refused: " + why);
  }
}
