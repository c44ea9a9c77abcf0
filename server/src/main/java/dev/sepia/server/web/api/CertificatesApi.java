package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.model.certificates.CertificateFileException;
import dev.sepia.server.model.certificates.CertificateFileReader;
import dev.sepia.server.model.certificates.CertificateLibraryStore;
import dev.sepia.server.model.certificates.LibraryCertificate;
import dev.sepia.server.model.certificates.ParsedCertificate;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.JsonBody;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/certificates: the certificate library. Administrators upload (PFX or PEM), rename and
 * delete; Viewers read what a certificate says. The private key is sealed on upload and never
 * returned.
 */
public final class CertificatesApi implements ApiModule {
  /** Far larger than any certificate file with its chain; refuses accidental uploads of others. */
  static final int MAX_DATA_CHARS = 1_000_000;

  private final Jdbi jdbi;
  private final Barrier barrier;
  private final CertificateLibraryStore store;

  public CertificatesApi(Jdbi jdbi, Barrier barrier) {
    this.jdbi = jdbi;
    this.barrier = barrier;
    this.store = new CertificateLibraryStore(jdbi);
  }

  /**
   * The request body of POST and PUT. On PUT, {@code certificateData} is optional: without it only
   * the name and description change.
   */
  public record CertificateRequest(
      String name, String description, String certificateData, String password) {
    @Override
    public String toString() {
      return "CertificateRequest{name=" + name + ", data=<masked>, password=<masked>}";
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/certificates", this::list);
    app.get("/api/certificates/{id}", this::get);
    app.post("/api/certificates", this::create);
    app.put("/api/certificates/{id}", this::update);
    app.delete("/api/certificates/{id}", this::delete);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    CertificateLibraryStore.Page page =
        store.page(ctx.queryParam("name"), paging.skip(), paging.take());
    Instant now = Instant.now();
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(c -> describe(c, now)).toList(),
            page.totalResults(),
            paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(existing(ctx.pathParam("id")), Instant.now()));
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    CertificateRequest request = body(ctx);
    List<String> problems = new ArrayList<>();
    String name = name(request, problems);
    if (request.certificateData() == null || request.certificateData().isBlank()) {
      problems.add("certificateData: required, a PFX file as base64 or PEM text");
    }
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The certificate is not valid.", problems);
    }
    ParsedCertificate file = read(request);
    String id =
        jdbi.inTransaction(
            h -> {
              refuseDuplicateName(h, name, null);
              String newId =
                  CertificateLibraryStore.insert(h, barrier, name, request.description(), file);
              AuditLog.record(
                  h,
                  user.username(),
                  "CertificateUploaded",
                  "Uploaded certificate '" + name + "' (" + facts(file) + ")");
              return newId;
            });
    ctx.status(201).json(describe(existing(id), Instant.now()));
  }

  private void update(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    LibraryCertificate current = existing(ctx.pathParam("id"));
    CertificateRequest request = body(ctx);
    List<String> problems = new ArrayList<>();
    String name = name(request, problems);
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The certificate is not valid.", problems);
    }
    boolean replacing = request.certificateData() != null && !request.certificateData().isBlank();
    ParsedCertificate file = replacing ? read(request) : null;
    jdbi.useTransaction(
        h -> {
          refuseDuplicateName(h, name, current.id());
          CertificateLibraryStore.updateDetails(h, current.id(), name, request.description());
          if (file != null) {
            CertificateLibraryStore.replaceFile(h, barrier, current.id(), file);
          }
          AuditLog.record(
              h,
              user.username(),
              file != null ? "CertificateReplaced" : "CertificateUpdated",
              file != null
                  ? "Replaced the file of certificate '" + name + "' (" + facts(file) + ")"
                  : "Updated certificate '" + name + "'");
        });
    ctx.json(describe(existing(current.id()), Instant.now()));
  }

  private void delete(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    LibraryCertificate certificate = existing(ctx.pathParam("id"));
    jdbi.useTransaction(
        h -> {
          CertificateLibraryStore.delete(h, certificate.id());
          AuditLog.record(
              h,
              user.username(),
              "CertificateDeleted",
              "Deleted certificate '"
                  + certificate.name()
                  + "' ("
                  + certificate.subject()
                  + ", thumbprint "
                  + certificate.thumbprint()
                  + ")");
        });
    ctx.status(204);
  }

  private LibraryCertificate existing(String id) {
    return store
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no certificate with id " + id + "."));
  }

  private static CertificateRequest body(Context ctx) {
    return JsonBody.read(
        ctx,
        CertificateRequest.class,
        "{\"name\": \"shop-tls\", \"description\": \"…\", \"certificateData\": \"(PFX as base64,"
            + " or PEM text)\", \"password\": \"(if the file or key has one)\"}");
  }

  private static String name(CertificateRequest request, List<String> problems) {
    String name = request.name() == null ? "" : request.name().trim();
    if (name.isEmpty() || name.length() > 200) {
      problems.add("name: required, at most 200 characters");
    }
    return name;
  }

  private static ParsedCertificate read(CertificateRequest request) {
    if (request.certificateData().length() > MAX_DATA_CHARS) {
      throw new ApiException(
          400,
          "certificateData is too large for a certificate file (over "
              + MAX_DATA_CHARS
              + " characters).");
    }
    char[] password = request.password() == null ? null : request.password().toCharArray();
    try {
      return CertificateFileReader.read(request.certificateData(), password);
    } catch (CertificateFileException e) {
      throw new ApiException(400, e.getMessage());
    } finally {
      if (password != null) {
        java.util.Arrays.fill(password, '\0');
      }
    }
  }

  private static void refuseDuplicateName(Handle h, String name, String ownId) {
    CertificateLibraryStore.findByName(h, name)
        .filter(c -> !c.id().equals(ownId))
        .ifPresent(
            c -> {
              throw new ApiException(
                  409,
                  "A certificate named '" + c.name() + "' already exists. Choose another name.");
            });
  }

  private static String facts(ParsedCertificate file) {
    return file.subject()
        + ", thumbprint "
        + file.thumbprint()
        + (file.hasPrivateKey() ? ", with private key" : ", no private key");
  }

  static Map<String, Object> describe(LibraryCertificate c, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", c.id());
    out.put("name", c.name());
    out.put("description", c.description());
    out.put("subject", c.subject());
    out.put("issuer", c.issuer());
    out.put("thumbprint", c.thumbprint());
    out.put("serialNumber", c.serialNumber());
    out.put("notBefore", c.notBefore().toString());
    out.put("notAfter", c.notAfter().toString());
    out.put("isExpired", c.isExpired(now));
    out.put("hasPrivateKey", c.hasPrivateKey());
    return out;
  }
}
