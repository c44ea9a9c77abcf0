package dev.sepia.variables;

import java.util.List;

/**
 * A template or variable value could not be evaluated. The message names the variables and
 * constructs involved and where they are, and never contains a variable's value.
 */
public final class SubstitutionException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> undefinedNames;

  SubstitutionException(String message) {
    this(message, List.of());
  }

  SubstitutionException(String message, List<String> undefinedNames) {
    super(message);
    this.undefinedNames = List.copyOf(undefinedNames);
  }

  /**
   * Every undefined variable the template refers to, in order of first use; empty when the problem
   * is something else.
   */
  public List<String> undefinedNames() {
    return undefinedNames;
  }
}
