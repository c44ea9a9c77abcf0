package dev.sepia.comms.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.comms.testing.GeneratedStream;
import dev.sepia.comms.testing.Hashing;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Methods a test Tentacle serves, and what they observed. */
final class TestServices {

  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Released by a test to let {@code block} handlers return. */
  final CountDownLatch release = new CountDownLatch(1);

  /** Counted down when a {@code block} handler has started. */
  final CountDownLatch blocked = new CountDownLatch(1);

  /** The body the last upload handler read, to inspect its memory use. */
  final AtomicReference<InputStream> lastUploadBody = new AtomicReference<>();

  /** The stream the last download handler returned, to see what it sent. */
  final AtomicReference<GeneratedStream> lastDownload = new AtomicReference<>();

  final AtomicLong downloadClosed = new AtomicLong();

  RpcServices services() {
    return new RpcServices()
        .register("echo", (params, body) -> RpcReply.of(params))
        .register(
            "fail",
            (params, body) -> {
              throw new IllegalStateException("disk full on /var/sepia");
            })
        .register(
            "fault",
            (params, body) -> {
              throw new RpcFault("UnknownTicket", "No script with ticket 't-1'");
            })
        .register(
            "block",
            (params, body) -> {
              blocked.countDown();
              release.await(30, TimeUnit.SECONDS);
              return RpcReply.of(JSON.textNode("released"));
            })
        .register(
            "sleep",
            (params, body) -> {
              Thread.sleep(params.path("millis").asLong());
              return RpcReply.of(JSON.textNode("slept"));
            })
        .register(
            "hashUpload",
            (params, body) -> {
              lastUploadBody.set(body);
              Hashing h = Hashing.of(body);
              return RpcReply.of(result(h.count(), h.sha256()));
            })
        .register(
            "generate",
            (params, body) -> {
              GeneratedStream stream =
                  new GeneratedStream(params.path("length").asLong(), params.path("seed").asLong());
              lastDownload.set(stream);
              InputStream counted =
                  new FilterInputStream(stream) {
                    @Override
                    public void close() {
                      downloadClosed.incrementAndGet();
                    }
                  };
              return new RpcReply(JSON.textNode("here it comes"), counted);
            });
  }

  static ObjectNode result(long count, String sha256) {
    ObjectNode o = JSON.objectNode();
    o.put("count", count);
    o.put("sha256", sha256);
    return o;
  }

  static JsonNode params(String field, long value) {
    return JSON.objectNode().put(field, value);
  }
}
