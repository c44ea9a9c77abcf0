package dev.sepia.comms.tls;

import dev.sepia.crypto.CertificateWithKey;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one certificate, always: peers pin it, so there is nothing to choose. Built directly
 * from the key instead of through a KeyStore, which would want a password for no benefit.
 */
final class SingleIdentityKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "sepia";

  private final X509Certificate[] chain;
  private final PrivateKey key;

  SingleIdentityKeyManager(CertificateWithKey identity) {
    this.chain = new X509Certificate[] {identity.certificate()};
    this.key = identity.privateKey();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return fitsAny(keyTypes) ? ALIAS : null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return fitsAny(keyTypes) ? ALIAS : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  // The TLS stack asks per key type ("RSA", "EC", ...); offering an RSA key for EC would fail.
  private boolean fits(String keyType) {
    return key.getAlgorithm().equals(keyType);
  }

  private boolean fitsAny(String[] keyTypes) {
    return keyTypes != null && Arrays.stream(keyTypes).anyMatch(this::fits);
  }

  @Override
  public String toString() {
    return "SingleIdentityKeyManager{privateKey=<masked>}";
  }
}
