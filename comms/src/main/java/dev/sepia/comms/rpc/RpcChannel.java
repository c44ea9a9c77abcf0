package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.time.Duration;

/**
 * The caller's (the server's) view of one Tentacle, whichever side dialed. Thread-safe: many calls
 * may be in flight at once. Closing it fails the calls still in flight with {@link
 * ConnectionLostException}.
 */
public interface RpcChannel extends AutoCloseable {

  /**
   * Calls {@code method} and waits up to {@code timeout} for its result. On timeout the call is
   * abandoned (the Tentacle is told) and the channel stays usable.
   */
  JsonNode call(String method, JsonNode params, Duration timeout) throws RpcException;

  /**
   * Calls {@code method} with {@code body} streamed after the request, in bounded memory. The body
   * is sent at the pace the Tentacle reads it; {@code timeout} is how long to wait for the result
   * once the body has been sent. The caller closes {@code body}.
   */
  JsonNode upload(String method, JsonNode params, InputStream body, Duration timeout)
      throws RpcException;

  /**
   * Calls {@code method} and waits up to {@code timeout} for its result; the stream that follows
   * arrives as it is read. Close the download, read to the end or not.
   */
  RpcDownload download(String method, JsonNode params, Duration timeout) throws RpcException;

  @Override
  void close();
}
