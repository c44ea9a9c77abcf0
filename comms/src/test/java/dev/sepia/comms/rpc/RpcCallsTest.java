package dev.sepia.comms.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.comms.testing.Loopback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls over one listening connection: answers, failures, timeouts and closing mid-call. */
class RpcCallsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

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
  void fiftyConcurrentCalls_onOneConnection_eachGetTheirOwnAnswer() throws Exception {
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        JsonNode params = TestServices.params("n", i);
        answers.add(callers.submit(() -> loop.channel.call("echo", params, TIMEOUT)));
      }
      for (int i = 0; i < 50; i++) {
        assertThat(answers.get(i).get(20, TimeUnit.SECONDS).path("n").asInt()).isEqualTo(i);
      }
    }
  }

  @Test
  void handlerException_comesBackAsRemoteException_withTypeAndMessage() {
    assertThatThrownBy(() -> loop.channel.call("fail", null, TIMEOUT))
        .isInstanceOfSatisfying(
            RemoteException.class,
            e -> {
              assertThat(e.type()).isEqualTo("IllegalStateException");
              assertThat(e.remoteMessage()).isEqualTo("disk full on /var/sepia");
            })
        .hasMessageContaining("'fail' failed on the Tentacle at 127.0.0.1:");
  }

  @Test
  void handlerFault_comesBackWithTheTypeItChose() {
    assertThatThrownBy(() -> loop.channel.call("fault", null, TIMEOUT))
        .isInstanceOfSatisfying(
            RemoteException.class, e -> assertThat(e.type()).isEqualTo("UnknownTicket"));
  }

  @Test
  void unknownMethod_isRemoteExceptionOfTypeUnknownMethod_listingWhatIsOffered() {
    assertThatThrownBy(() -> loop.channel.call("scripts.explode", null, TIMEOUT))
        .isInstanceOfSatisfying(
            RemoteException.class,
            e -> {
              assertThat(e.type()).isEqualTo(RpcServices.UNKNOWN_METHOD);
              assertThat(e.remoteMessage()).contains("scripts.explode").contains("echo");
            });
  }

  @Test
  void callTimeout_failsThatCall_andTheConnectionKeepsWorking() throws Exception {
    assertThatThrownBy(
            () ->
                loop.channel.call(
                    "sleep", TestServices.params("millis", 2000), Duration.ofMillis(200)))
        .isInstanceOf(RpcTimeoutException.class)
        .hasMessageContaining("'sleep' got no answer")
        .hasMessageContaining("within 200ms");

    assertThat(
            loop.channel
                .call("echo", TestServices.params("after", 1), TIMEOUT)
                .path("after")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void closingTheChannelMidCall_failsTheCallAtOnce() throws Exception {
    CompletableFuture<Throwable> failure = callBlocking();
    assertThat(tentacle.blocked.await(5, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    loop.channel.close();

    assertThat(failure.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("'block'");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void tentacleShuttingDownMidCall_failsTheServersCallAtOnce() throws Exception {
    CompletableFuture<Throwable> failure = callBlocking();
    assertThat(tentacle.blocked.await(5, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    loop.tentacle.close();

    assertThat(failure.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("was lost while 'block' was in flight");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void channel_redialsOnItsOwn_afterTheTentacleRestartedBetweenCalls() throws Exception {
    int port = loop.tentacle.port();
    loop.channel.call("echo", null, TIMEOUT);
    loop.tentacle.close();

    try (ListeningServer restarted =
        Loopback.tentacleServer(tentacle.services(), CommsSettings.DEFAULTS, port)) {
      restarted.start();
      JsonNode answer =
          awaitAnswer(() -> loop.channel.call("echo", TestServices.params("again", 2), TIMEOUT));
      assertThat(answer.path("again").asInt()).isEqualTo(2);
    }
  }

  @Test
  void callOnAClosedChannel_failsAtOnce() {
    loop.channel.close();

    assertThatThrownBy(() -> loop.channel.call("echo", null, TIMEOUT))
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("closed");
  }

  private CompletableFuture<Throwable> callBlocking() {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                loop.channel.call("block", null, Duration.ofSeconds(30));
                failure.complete(null);
              } catch (Throwable t) {
                failure.complete(t);
              }
            });
    return failure;
  }

  /** The first call after the restart may still meet the old socket closing; the next redials. */
  private static JsonNode awaitAnswer(Call call) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        return call.run();
      } catch (ConnectionLostException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  @FunctionalInterface
  private interface Call {
    JsonNode run() throws RpcException, ExecutionException;
  }
}
