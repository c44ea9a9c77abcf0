package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;

/**
 * A handler's answer.
 *
 * @param result the JSON result
 * @param body a stream to send after the result (a download), or null; it is closed once sent
 */
public record RpcReply(JsonNode result, InputStream body) {

  public static RpcReply of(JsonNode result) {
    return new RpcReply(result, null);
  }
}
