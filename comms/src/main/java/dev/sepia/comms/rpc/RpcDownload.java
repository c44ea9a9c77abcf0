package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * A result and the stream that follows it. Closing before the end tells the sender to stop.
 *
 * @param body the streamed data; empty if the callee sent none
 */
public record RpcDownload(JsonNode result, InputStream body) implements AutoCloseable {

  public RpcDownload {
    body = body == null ? InputStream.nullInputStream() : body;
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
