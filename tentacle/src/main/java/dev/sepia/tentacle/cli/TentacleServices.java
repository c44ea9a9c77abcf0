package dev.sepia.tentacle.cli;

import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.service.JavaServiceCommand;
import dev.sepia.platform.service.ReadinessProbe;
import dev.sepia.platform.service.ServiceDefinition;
import dev.sepia.platform.service.ServiceManager;
import dev.sepia.platform.service.ServiceManagers;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.config.TentacleEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** How a Tentacle instance runs as a service: the command line it runs and how to tell it is up. */
final class TentacleServices {
  /** A polling-only Tentacle counts as started when it is still alive this long after start. */
  static final Duration POLLING_SETTLE = Duration.ofSeconds(2);

  private final TentacleEnvironment environment;

  TentacleServices(TentacleEnvironment environment) {
    this.environment = environment;
  }

  ServiceManager manager() {
    return ServiceManagers.forThisMachine(environment.env());
  }

  static String serviceName(String instance) {
    return "sepia-tentacle-" + instance;
  }

  /** The service runs this same program (same Java, same class path) with "agent". */
  ServiceDefinition definition(InstanceRecord instance, TentacleConfig config) {
    List<String> command =
        JavaServiceCommand.sameProgram(
            serviceName(instance.name()),
            TentacleMain.class,
            "agent",
            "--instance",
            instance.name());
    Path home = config.home();
    return new ServiceDefinition(
        serviceName(instance.name()),
        "Sepia Tentacle (instance " + instance.name() + ")",
        command,
        home,
        home.resolve("service"),
        Map.of("SEPIA_MACHINE_DIR", environment.machineDir().toString()));
  }

  /**
   * Ready when the listening port accepts TCP connections; for a polling-only Tentacle, when the
   * process is still alive {@link #POLLING_SETTLE} after the first check (the service manager
   * reports a process that dies before then).
   */
  static ReadinessProbe readinessProbe(TentacleConfig config) {
    if (config.noListen()) {
      AtomicLong firstCheck = new AtomicLong();
      return () -> {
        long now = System.nanoTime();
        firstCheck.compareAndSet(0, now);
        return now - firstCheck.get() >= POLLING_SETTLE.toNanos();
      };
    }
    InetAddress listen = TentacleConfig.parseIpAddress(config.listenIpAddress());
    InetAddress target;
    try {
      target =
          listen.isAnyLocalAddress()
              ? InetAddress.getByName(listen.getAddress().length == 4 ? "127.0.0.1" : "::1")
              : listen;
    } catch (IOException e) {
      target = InetAddress.getLoopbackAddress();
    }
    InetSocketAddress address = new InetSocketAddress(target, config.listenPort());
    return () -> {
      try (Socket socket = new Socket()) {
        socket.connect(address, 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    };
  }
}
