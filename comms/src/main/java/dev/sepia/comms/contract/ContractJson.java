package dev.sepia.comms.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Converts the contract records to and from the JSON the RPC layer carries: camelCase fields, times
 * as ISO-8601 text, and unknown fields ignored so a newer server can talk to an older Tentacle.
 */
public final class ContractJson {

  // Configured once here and never changed afterwards: safe to share between threads.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ContractJson() {}

  public static JsonNode toTree(Object value) {
    return JSON.valueToTree(value);
  }

  /**
   * @throws IllegalArgumentException if the JSON does not make a valid {@code type}, with the
   *     record's own complaint (e.g. a bad ticket) in the message
   */
  public static <T> T fromTree(JsonNode json, Class<T> type) {
    try {
      return JSON.treeToValue(json, type);
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new IllegalArgumentException(
          "Not a valid " + type.getSimpleName() + ": " + cause.getMessage(), e);
    }
  }
}
