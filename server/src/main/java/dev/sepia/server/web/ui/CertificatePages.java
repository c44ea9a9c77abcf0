package dev.sepia.server.web.ui;

import dev.sepia.server.model.certificates.CertificateLibraryStore;
import dev.sepia.server.model.certificates.LibraryCertificate;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * /infrastructure/certificates: the certificate library. Pages show what a certificate says; its
 * private key stays sealed in the database and is never sent to a browser.
 */
public final class CertificatePages implements ApiModule {
  private final Pages pages;

  public CertificatePages(Pages pages) {
    this.pages = pages;
  }

  /** A certificate with its dates in words and whether it has expired. */
  public record CertificateView(LibraryCertificate certificate, boolean expired) {
    public String notBefore() {
      return WhenText.of(certificate.notBefore());
    }

    public String notAfter() {
      return WhenText.of(certificate.notAfter());
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/infrastructure/certificates", this::list);
    app.get("/infrastructure/certificates/{id}", this::show);
  }

  private void list(Context ctx) {
    Instant now = Instant.now();
    List<CertificateView> certificates =
        new CertificateLibraryStore(pages.jdbi())
            .page(null, 0, 1000).items().stream()
                .map(c -> new CertificateView(c, c.isExpired(now)))
                .toList();
    pages.render(
        ctx,
        "certificates.jte",
        pages.frame(ctx, "Certificates", "infrastructure"),
        Map.of("certificates", certificates));
  }

  private void show(Context ctx) {
    LibraryCertificate certificate =
        new CertificateLibraryStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    if (certificate == null) {
      pages.notFound(
          ctx, "There is no such certificate.", "/infrastructure/certificates", "Certificates");
      return;
    }
    pages.render(
        ctx,
        "certificate.jte",
        pages.frame(ctx, certificate.name(), "infrastructure"),
        Map.of("view", new CertificateView(certificate, certificate.isExpired(Instant.now()))));
  }
}
