package dev.sepia.server.cli;

import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.service.JavaServiceCommand;
import dev.sepia.platform.service.ReadinessProbe;
import dev.sepia.platform.service.ServiceDefinition;
import dev.sepia.platform.service.ServiceManager;
import dev.sepia.platform.service.ServiceManagers;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.startup.ListenPrefix;
import dev.sepia.server.startup.ServerEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** How a server instance runs as a service: the command line it runs and how to tell it is up. */
final class ServerServices {
  private final ServerEnvironment environment;

  ServerServices(ServerEnvironment environment) {
    this.environment = environment;
  }

  ServiceManager manager() {
    return ServiceManagers.forThisMachine(environment.env());
  }

  static String serviceName(String instance) {
    return "sepia-server-" + instance;
  }

  /** The service runs this same program (same Java, same class path) with "run". */
  ServiceDefinition definition(InstanceRecord instance, ServerConfig config) {
    List<String> command =
        JavaServiceCommand.sameProgram(
            serviceName(instance.name()), ServerMain.class, "run", "--instance", instance.name());
    Path home = config.home();
    return new ServiceDefinition(
        serviceName(instance.name()),
        "Sepia deployment server (instance " + instance.name() + ")",
        command,
        home,
        home.resolve("service"),
        Map.of("SEPIA_MACHINE_DIR", environment.machineDir().toString()));
  }

  /** Ready when GET /api/health answers 200 on the instance's web listener. */
  static ReadinessProbe healthProbe(ServerConfig config) {
    URI listen = ListenPrefix.parse(config.listenPrefix());
    String host = "0.0.0.0".equals(listen.getHost()) ? "127.0.0.1" : listen.getHost();
    URI health = URI.create("http://" + host + ":" + listen.getPort() + "/api/health");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return () -> {
      try {
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
      } catch (java.io.IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }
}
