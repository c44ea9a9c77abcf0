package dev.sepia.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.crypto.MachineKey;
import dev.sepia.platform.config.ConfigFile;
import dev.sepia.tentacle.agent.TentacleAgent;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.CommunicationStyle;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N real Tentacle agents in this JVM, each with its own instance folder, config file and
 * certificate, trusting the bench server, and registered with it through {@code POST
 * /api/machines}. {@code listening} of them listen on 127.0.0.1 (an ephemeral port each); the rest,
 * spread evenly among them, poll the server's comms port on 127.0.0.1.
 *
 * <p>Order matters: a listening Tentacle starts first, since the server must be told its port; a
 * polling Tentacle is registered first, since the server refuses its TLS handshake until then (it
 * would only retry, with back-off, and the benchmark would measure the back-off).
 */
final class TentacleFleet implements AutoCloseable {

  /** One started Tentacle and how long its registration took. */
  record Member(
      String name, String machineId, boolean polling, TentacleAgent agent, long registerNanos) {}

  private final List<Member> members;

  private TentacleFleet(List<Member> members) {
    this.members = List.copyOf(members);
  }

  List<Member> members() {
    return members;
  }

  /**
   * Creates, starts and registers {@code count} Tentacles, {@code threads} at a time. On any
   * failure, stops those already started and throws.
   */
  static TentacleFleet start(
      BenchServer server, Path folder, int count, int listening, int threads, Duration limit)
      throws IOException, InterruptedException {
    MachineKey machineKey = MachineKey.loadOrCreate(folder.resolve("machine"));
    List<Member> started = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads, named("bench-setup"));
    try {
      List<Future<Member>> futures = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        String name = String.format("bench-%04d", i);
        boolean polling = isPolling(i, count - listening, count);
        Path home = folder.resolve("tentacles").resolve(name);
        futures.add(
            pool.submit(
                () -> {
                  Member m = startOne(server, machineKey, name, polling, home);
                  started.add(m);
                  return m;
                }));
      }
      List<Member> members = new ArrayList<>();
      long deadline = System.nanoTime() + limit.toNanos();
      for (Future<Member> f : futures) {
        members.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return new TentacleFleet(members);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      pool.shutdownNow();
      // Let the Tentacles being started right now finish, so that none is left running.
      pool.awaitTermination(1, TimeUnit.MINUTES);
      closeAll(new ArrayList<>(started), threads);
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "Starting the Tentacles failed after "
              + started.size()
              + " of "
              + count
              + " had started: "
              + cause,
          cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Spreads the polling Tentacles evenly over the numbers 1..count, so that the server, which
   * checks targets in name order, meets both kinds throughout a run rather than one kind after the
   * other.
   */
  static boolean isPolling(int i, int polling, int count) {
    return (long) i * polling / count > (long) (i - 1) * polling / count;
  }

  private static Member startOne(
      BenchServer server, MachineKey machineKey, String name, boolean polling, Path home) {
    CertificateWithKey identity =
        Certificates.generateSelfSigned(TentacleConfig.CERTIFICATE_COMMON_NAME);
    TentacleConfig config =
        new TentacleConfig(name, ConfigFile.createNew(home.resolve("tentacle.json")), machineKey);
    config.setCertificate(identity);
    config.setHome(home);
    config.setApp(home.resolve("app"));
    config.addTrust(server.thumbprint());
    Registration registration;
    TentacleAgent agent;
    if (polling) {
      config.setNoListen(true);
      config.setServerComms(
          server.thumbprint(),
          CommunicationStyle.TENTACLE_ACTIVE,
          "127.0.0.1",
          server.pollingPort());
      config.save();
      registration = register(server, name, identity.thumbprint(), "TentacleActive", null);
      agent = TentacleAgent.start(config);
    } else {
      config.setListenIpAddress("127.0.0.1");
      config.setListenPort(0);
      config.save();
      agent = TentacleAgent.start(config);
      try {
        registration =
            register(
                server,
                name,
                identity.thumbprint(),
                "TentaclePassive",
                "https://127.0.0.1:" + agent.listeningPort() + "/");
      } catch (RuntimeException e) {
        agent.close();
        throw e;
      }
    }
    return new Member(name, registration.id(), polling, agent, registration.nanos());
  }

  private record Registration(String id, long nanos) {}

  private static Registration register(
      BenchServer server, String name, String thumbprint, String style, String uri) {
    Map<String, Object> body = target(name, thumbprint, style, uri);
    long start = System.nanoTime();
    JsonNode created = server.post("/api/machines", body);
    long took = System.nanoTime() - start;
    if (!name.equals(created.path("name").asText())) {
      throw new IllegalStateException("Registering " + name + " answered " + created);
    }
    return new Registration(created.path("id").asText(), took);
  }

  /**
   * Saves one polling target unchanged ({@code PUT /api/machines/{id}}), which makes the server
   * re-read the polling Tentacles it trusts: the way around a trust refresh lost to concurrent
   * registrations (see bench/README.md, "Findings").
   */
  void refreshServerTrust(BenchServer server) {
    for (Member m : members) {
      if (m.polling()) {
        JsonNode current = server.get("/api/machines/" + m.machineId());
        server.put(
            "/api/machines/" + m.machineId(),
            target(
                m.name(),
                current.path("thumbprint").asText(),
                current.path("communicationStyle").asText(),
                null));
        return;
      }
    }
  }

  private static Map<String, Object> target(
      String name, String thumbprint, String style, String uri) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("thumbprint", thumbprint);
    body.put("communicationStyle", style);
    if (uri != null) {
      body.put("uri", uri);
    }
    body.put("environments", List.of("Bench"));
    body.put("roles", List.of("bench"));
    return body;
  }

  /** Stops every Tentacle, {@code threads} at a time (a polling one may take seconds to stop). */
  void close(int threads) {
    closeAll(members, threads);
  }

  @Override
  public void close() {
    close(4);
  }

  private static void closeAll(List<Member> members, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads, named("bench-stop"));
    try {
      for (Member m : members) {
        pool.execute(m.agent()::close);
      }
    } finally {
      pool.shutdown();
      try {
        if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        pool.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  static java.util.concurrent.ThreadFactory named(String prefix) {
    return Thread.ofPlatform().name(prefix + "-", 1).daemon(true).factory();
  }
}
