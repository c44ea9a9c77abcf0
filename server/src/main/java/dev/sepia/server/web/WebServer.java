package dev.sepia.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.platform.cli.Json;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.users.SessionStore;
import dev.sepia.server.users.User;
import dev.sepia.server.users.UserStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's HTTP listener: the REST API under /api, and the web UI's pages everywhere else. */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  private static final Set<String> ANONYMOUS_PATHS =
      Set.of("/api/health", "/api/users/login", "/login", "/favicon.ico");
  private static final String ASSETS = "/assets";

  private final Javalin app;
  private final URI listenPrefix;

  public WebServer(URI listenPrefix, Jdbi jdbi, ServerInfo info, List<ApiModule> modules) {
    this.listenPrefix = listenPrefix;
    UserStore users = new UserStore(jdbi);
    SessionStore sessions = new SessionStore(jdbi);
    AuditLog audit = new AuditLog(jdbi);
    Authenticator authenticator = new Authenticator(users, sessions);
    ObjectMapper mapper = Json.mapper();
    boolean secureCookies = "https".equalsIgnoreCase(listenPrefix.getScheme());

    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson(mapper, false));
              config.http.defaultContentType = "application/json";
              // The UI's own assets and htmx, served by this server: no CDN.
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = ASSETS;
                    files.directory = "/dev/sepia/server/web/ui/assets";
                    files.location = Location.CLASSPATH;
                  });
              config.staticFiles.enableWebjars();
            });

    app.before(
        ctx -> {
          String path = ctx.path();
          if (ANONYMOUS_PATHS.contains(path)
              || path.startsWith(ASSETS + "/")
              || path.startsWith("/webjars/")) {
            return;
          }
          if (path.startsWith("/api/")) {
            authenticator.authenticate(ctx);
          } else if (!authenticator.authenticatePage(ctx)) {
            String next = path + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            ctx.skipRemainingHandlers();
          }
        });

    app.get("/api/health", ctx -> health(ctx, jdbi));
    app.get("/api/serverstatus", ctx -> ctx.json(serverStatus(info)));
    new LoginApi(users, sessions, audit, secureCookies).register(app);
    modules.forEach(m -> m.register(app));

    app.exception(
        ApiException.class,
        (e, ctx) -> ctx.status(e.status()).json(new ApiError(e.getMessage(), e.details())));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("Request {} {} failed", ctx.method(), ctx.path(), e);
          ctx.status(500)
              .json(ApiError.of("The server failed to handle this request; see the server log."));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            ctx.json(ApiError.of("There is no " + ctx.method() + " " + ctx.path() + "."));
          }
        });
  }

  public void start() {
    app.start(listenPrefix.getHost(), listenPrefix.getPort());
  }

  public int port() {
    return app.port();
  }

  /**
   * Every registered HTTP route as "METHOD /path", path parameters as Javalin spells them ({id}),
   * sorted; filters and the HEAD/OPTIONS handlers Javalin adds are left out. The API description is
   * checked against this list, so neither can drift from the other.
   */
  public List<String> routes() {
    return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
        .map(ParsedEndpoint::getEndpoint)
        .filter(WebServer::isRoute)
        .map(e -> e.getMethod().name() + " " + e.getPath())
        .distinct()
        .sorted()
        .toList();
  }

  private static boolean isRoute(Endpoint endpoint) {
    HandlerType method = endpoint.getMethod();
    return method.isHttpMethod() && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
  }

  @Override
  public void close() {
    app.stop();
  }

  private static void health(Context ctx, Jdbi jdbi) {
    try {
      jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
      ctx.json(Map.of("status", "Healthy", "database", "Reachable"));
    } catch (RuntimeException e) {
      log.warn("Health check: the database is not reachable: {}", e.getMessage());
      ctx.status(503).json(Map.of("status", "Unhealthy", "database", "Unreachable"));
    }
  }

  private static Map<String, Object> serverStatus(ServerInfo info) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("version", info.version());
    status.put("instance", info.instance());
    status.put("node", info.node());
    status.put("thumbprint", info.thumbprint());
    status.put("databaseKind", info.databaseKind().displayName());
    return status;
  }

  static Map<String, Object> describe(User user) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", user.id());
    out.put("username", user.username());
    out.put("email", user.email());
    out.put("role", user.role().displayName());
    return out;
  }
}
