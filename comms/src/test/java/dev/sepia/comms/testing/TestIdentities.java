package dev.sepia.comms.testing;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;

/** Certificates for tests, generated once per test JVM (RSA key generation is slow). */
public final class TestIdentities {

  private TestIdentities() {}

  private static final class Holder {
    static final CertificateWithKey SERVER = Certificates.generateSelfSigned("Sepia Server");
    static final CertificateWithKey TENTACLE = Certificates.generateSelfSigned("web01");
    static final CertificateWithKey STRANGER = Certificates.generateSelfSigned("stranger");
  }

  public static CertificateWithKey server() {
    return Holder.SERVER;
  }

  public static CertificateWithKey tentacle() {
    return Holder.TENTACLE;
  }

  /** Trusted by nobody. */
  public static CertificateWithKey stranger() {
    return Holder.STRANGER;
  }
}
