package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;

/**
 * Serves one method on the callee (the Tentacle). Runs on its own virtual thread, so it may block.
 * Throw {@link RpcFault} to answer with a chosen error type; any other exception is answered with
 * its simple class name and message.
 */
@FunctionalInterface
public interface RpcHandler {

  /**
   * @param params the request's parameters (a JSON null if the caller sent none)
   * @param body the uploaded stream, or an empty stream if none; read it before returning, since it
   *     is discarded once the handler returns
   */
  RpcReply handle(JsonNode params, InputStream body) throws Exception;
}
