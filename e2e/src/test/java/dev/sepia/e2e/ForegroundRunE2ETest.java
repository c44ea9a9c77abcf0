package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.RunningServer;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code run} in the foreground, stopped the way a terminal or a service manager stops it
 * (SIGTERM). The node table is what lets destructive commands refuse while a server is running, so
 * a stopped server must say it stopped.
 */
class ForegroundRunE2ETest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Engine.class)
  void run_servesUntilSigterm_andIsNoLongerSeenAsRunning(Engine engine) throws Exception {
    SepiaServerCli machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
    TestDatabase db = engine.newDatabase(tmp);
    TestInstance shop = TestInstance.withNewDatabase(machine, tmp, "Shop", db).listenOnFreePorts();

    CliResult stopped;
    long pid;
    try (RunningServer server = machine.start("run", "--instance", "Shop")) {
      pid = awaitHealthy(server, shop.url("/api/health"));
      stopped = server.terminate(Duration.ofSeconds(60));
    }

    assertThat(stopped.stderr()).contains("is ready on " + shop.url("")).contains("is stopping");
    assertThat(db.rows("SELECT pid, stopped_at FROM server_nodes"))
        .as("server_nodes after SIGTERM; the server printed:%n%s", stopped.stderr())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get(0)).isEqualTo(Long.toString(pid));
              // An embedded H2 database may close before the server records its stop; then the
              // node is known to be gone because its process on this host is (ServerNodes.live).
              boolean processGone = ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
              assertThat(row.get(1) != null || processGone)
                  .as("stopped_at recorded, or the node's process gone")
                  .isTrue();
              if (engine == Engine.POSTGRESQL) {
                assertThat(row.get(1)).as("stopped_at").isNotNull();
              }
            });
  }

  /** Polls /api/health until it answers 200; returns the server's pid. */
  private static long awaitHealthy(RunningServer server, URI health) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!server.isAlive()) {
        throw new AssertionError("The server exited while starting: " + server.output(-1));
      }
      try {
        HttpResponse<String> response =
            http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return server.pid();
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Not healthy after " + START_TIMEOUT + ": " + server.output(-1));
  }
}
