package dev.sepia.server.web;

import java.util.List;

/** An error to return to an API caller, with its HTTP status. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient List<String> details;

  public ApiException(int status, String message, List<String> details) {
    super(message);
    this.status = status;
    this.details = List.copyOf(details);
  }

  public ApiException(int status, String message) {
    this(status, message, List.of());
  }

  public int status() {
    return status;
  }

  public List<String> details() {
    return details;
  }
}
