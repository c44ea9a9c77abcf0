package dev.sepia.e2e.tentacle;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;

/**
 * The certificate the test JVM presents when it plays the server, generated once per test run (RSA
 * key generation is slow).
 */
public final class TestServerIdentity {
  private TestServerIdentity() {}

  private static final class Holder {
    static final CertificateWithKey IDENTITY = Certificates.generateSelfSigned("Test server");
  }

  public static CertificateWithKey get() {
    return Holder.IDENTITY;
  }

  public static String thumbprint() {
    return get().thumbprint();
  }
}
