package dev.sepia.server.certificate;

import java.time.Instant;

/** The public facts of the server certificate; readable without the master key. */
public record StoredCertificate(String thumbprint, String subject, Instant notAfter) {}
