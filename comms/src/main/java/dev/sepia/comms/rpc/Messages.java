package dev.sepia.comms.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * The JSON text messages of the protocol. Besides requests and responses there are three stream
 * controls: {@code credit} (the reader has room for more chunks), {@code cancel} (the caller gave
 * up on a request) and {@code streamError} (the sender's source failed mid-stream).
 */
final class Messages {

  // Configured here once and never changed: ObjectMapper is thread-safe for reading and writing.
  private static final ObjectMapper JSON = new ObjectMapper();

  private Messages() {}

  sealed interface Inbound permits Request, Response, Credit, Cancel, StreamError {
    UUID id();
  }

  record Request(UUID id, String method, JsonNode params, boolean bodyFollows) implements Inbound {}

  /** Either a result (error null) or an error (result null). */
  record Response(UUID id, JsonNode result, boolean bodyFollows, String errorType, String message)
      implements Inbound {
    boolean failed() {
      return errorType != null;
    }
  }

  record Credit(UUID id, int chunks) implements Inbound {}

  record Cancel(UUID id) implements Inbound {}

  record StreamError(UUID id, String message) implements Inbound {}

  /** A peer sent something this protocol does not allow; the connection cannot be trusted on. */
  static final class ProtocolViolation extends Exception {
    ProtocolViolation(String message) {
      super(message);
    }
  }

  static String request(UUID id, String method, JsonNode params, boolean bodyFollows) {
    ObjectNode o = envelope(id);
    o.put("method", method);
    o.set("params", params == null ? NullNode.getInstance() : params);
    o.put("bodyFollows", bodyFollows);
    return write(o);
  }

  static String result(UUID id, JsonNode result, boolean bodyFollows) {
    ObjectNode o = envelope(id);
    o.set("result", result == null ? NullNode.getInstance() : result);
    if (bodyFollows) {
      o.put("bodyFollows", true);
    }
    return write(o);
  }

  static String error(UUID id, String type, String message) {
    ObjectNode o = envelope(id);
    ObjectNode error = o.putObject("error");
    error.put("type", type);
    error.put("message", message);
    return write(o);
  }

  static String credit(UUID id, int chunks) {
    return write(envelope(id).put("credit", chunks));
  }

  static String cancel(UUID id) {
    return write(envelope(id).put("cancel", true));
  }

  static String streamError(UUID id, String message) {
    return write(envelope(id).put("streamError", message));
  }

  static Inbound parse(String text) throws ProtocolViolation {
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ProtocolViolation("a text message is not JSON");
    }
    if (o == null || !o.isObject()) {
      throw new ProtocolViolation("a text message is not a JSON object");
    }
    UUID id = id(o);
    if (o.hasNonNull("method")) {
      JsonNode params = o.hasNonNull("params") ? o.get("params") : NullNode.getInstance();
      return new Request(id, o.get("method").asText(), params, bodyFollows(o));
    }
    if (o.has("result")) {
      return new Response(id, o.get("result"), bodyFollows(o), null, null);
    }
    if (o.hasNonNull("error")) {
      JsonNode error = o.get("error");
      String type = error.path("type").asText("Unknown");
      return new Response(id, null, false, type, error.path("message").asText(""));
    }
    if (o.has("credit")) {
      int chunks = o.get("credit").asInt(-1);
      if (chunks <= 0) {
        throw new ProtocolViolation("a credit message grants no chunks");
      }
      return new Credit(id, chunks);
    }
    if (o.has("cancel")) {
      return new Cancel(id);
    }
    if (o.has("streamError")) {
      return new StreamError(id, o.get("streamError").asText());
    }
    throw new ProtocolViolation("a text message is neither request, response nor stream control");
  }

  private static boolean bodyFollows(JsonNode o) {
    return o.path("bodyFollows").asBoolean(false);
  }

  private static UUID id(JsonNode o) throws ProtocolViolation {
    try {
      return UUID.fromString(o.path("id").asText());
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolation("a message has no valid id");
    }
  }

  private static ObjectNode envelope(UUID id) {
    return JSON.createObjectNode().put("id", id.toString());
  }

  private static String write(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree could not be written", e);
    }
  }
}
