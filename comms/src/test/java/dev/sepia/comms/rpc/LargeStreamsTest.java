package dev.sepia.comms.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.comms.testing.GeneratedStream;
import dev.sepia.comms.testing.Hashing;
import dev.sepia.comms.testing.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streams larger than anyone would hold in memory move intact, and the receiving side never holds
 * more than its window whatever the size.
 */
class LargeStreamsTest {

  private static final long SIZE = 64L * 1024 * 1024;
  private static final long WINDOW_BYTES = (long) StreamFrames.WINDOW * StreamFrames.MAX_CHUNK;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final TestServices tentacle = new TestServices();
  private Loopback loop;

  @BeforeEach
  void start() throws Exception {
    loop = Loopback.start(tentacle.services());
  }

  @AfterEach
  void stop() {
    tentacle.release.countDown();
    loop.close();
  }

  @Test
  void upload64MiB_arrivesIntact_whileTheTentacleHoldsAtMostOneWindow() throws Exception {
    GeneratedStream source = new GeneratedStream(SIZE, 42);

    JsonNode answer = loop.channel.upload("hashUpload", null, source, TIMEOUT);

    assertThat(answer.path("count").asLong()).isEqualTo(SIZE);
    assertThat(answer.path("sha256").asText()).isEqualTo(source.sha256());
    IncomingBody received = (IncomingBody) tentacle.lastUploadBody.get();
    assertThat(received.highWaterBytes()).isPositive().isLessThanOrEqualTo(WINDOW_BYTES);
  }

  @Test
  void download64MiB_arrivesIntact_whileTheServerHoldsAtMostOneWindow() throws Exception {
    try (RpcDownload download = loop.channel.download("generate", generate(SIZE), TIMEOUT)) {
      assertThat(download.result().asText()).isEqualTo("here it comes");

      Hashing received = Hashing.of(download.body());

      assertThat(received.count()).isEqualTo(SIZE);
      assertThat(received.sha256()).isEqualTo(tentacle.lastDownload.get().sha256());
      assertThat(((IncomingBody) download.body()).highWaterBytes())
          .isPositive()
          .isLessThanOrEqualTo(WINDOW_BYTES);
    }
  }

  @Test
  void callsStillAnswer_whileADownloadSitsUnread_onTheSameConnection() throws Exception {
    try (RpcDownload stalled = loop.channel.download("generate", generate(SIZE), TIMEOUT)) {
      Thread.sleep(300); // the sender fills the reader's window and waits for room

      JsonNode echo = loop.channel.call("echo", TestServices.params("meanwhile", 1), TIMEOUT);

      assertThat(echo.path("meanwhile").asInt()).isEqualTo(1);
      assertThat(tentacle.lastDownload.get().produced()).isLessThan(SIZE);
      assertThat(((IncomingBody) stalled.body()).highWaterBytes())
          .isLessThanOrEqualTo(WINDOW_BYTES);
    }
  }

  @Test
  void closingADownloadEarly_stopsTheTentacleSending() throws Exception {
    RpcDownload download = loop.channel.download("generate", generate(SIZE), TIMEOUT);
    assertThat(download.body().read(new byte[1000])).isPositive();

    download.close();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (tentacle.downloadClosed.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(tentacle.downloadClosed.get()).isEqualTo(1);
    assertThat(tentacle.lastDownload.get().produced()).isLessThan(SIZE);
    assertThat(
            loop.channel
                .call("echo", TestServices.params("still", 1), TIMEOUT)
                .path("still")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void uploadWhoseSourceFails_failsTheCall_andTheTentacleSeesAnError() throws Exception {
    InputStream breaking =
        new InputStream() {
          private int left = 3 * StreamFrames.MAX_CHUNK;

          @Override
          public int read() throws IOException {
            if (left-- <= 0) {
              throw new IOException("disk read error");
            }
            return 7;
          }
        };

    assertThatThrownBy(() -> loop.channel.upload("hashUpload", null, breaking, TIMEOUT))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("disk read error");
    assertThat(
            loop.channel
                .call("echo", TestServices.params("still", 1), TIMEOUT)
                .path("still")
                .asInt())
        .isEqualTo(1);
  }

  private static ObjectNode generate(long length) {
    return TestServices.JSON.objectNode().put("length", length).put("seed", 7);
  }
}
