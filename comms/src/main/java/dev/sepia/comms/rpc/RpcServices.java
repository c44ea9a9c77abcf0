package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The callee's registry of methods. Thread-safe; register before starting the endpoint. */
public final class RpcServices {

  /** The error type answered for a method nobody registered. */
  public static final String UNKNOWN_METHOD = "UnknownMethod";

  private final ConcurrentMap<String, RpcHandler> handlers = new ConcurrentHashMap<>();

  /**
   * @throws IllegalArgumentException if the method already has a handler
   */
  public RpcServices register(String method, RpcHandler handler) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(handler, "handler");
    if (handlers.putIfAbsent(method, handler) != null) {
      throw new IllegalArgumentException("Method '" + method + "' already has a handler");
    }
    return this;
  }

  /** The registered method names, sorted: what a capabilities answer lists. */
  public Set<String> methods() {
    return new TreeSet<>(handlers.keySet());
  }

  RpcReply dispatch(String method, JsonNode params, InputStream body) throws Exception {
    RpcHandler handler = handlers.get(method);
    if (handler == null) {
      throw new RpcFault(
          UNKNOWN_METHOD, "No method '" + method + "' here; the methods offered are " + methods());
    }
    RpcReply reply = handler.handle(params, body);
    return reply == null ? RpcReply.of(null) : reply;
  }
}
