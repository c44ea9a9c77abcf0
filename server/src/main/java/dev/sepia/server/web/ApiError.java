package dev.sepia.server.web;

import java.util.List;

/** The JSON body of every API error: {"error": "...", "details": [...]}. */
public record ApiError(String error, List<String> details) {
  public static ApiError of(String error) {
    return new ApiError(error, List.of());
  }
}
