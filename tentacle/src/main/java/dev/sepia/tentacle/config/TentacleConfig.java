package dev.sepia.tentacle.config;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.crypto.ForeignMachineException;
import dev.sepia.crypto.MachineKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.ConfigFile;
import dev.sepia.tentacle.trust.CommunicationStyle;
import dev.sepia.tentacle.trust.TrustedServers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed view of a Tentacle instance's config file. The certificate's private key is stored
 * protected by this machine's key (purpose: the setting name), so a config copied to another
 * machine cannot present this Tentacle's identity there; the certificate itself and its thumbprint
 * are public and stored in clear.
 *
 * <p>Changes stay in memory until {@link #save()}. Not thread-safe: one command owns one config.
 */
public final class TentacleConfig {
  public static final String HOME = "Tentacle.Home";
  public static final String APP = "Tentacle.App";
  public static final String LISTEN_PORT = "Tentacle.Communication.ListenPort";
  public static final String LISTEN_IP_ADDRESS = "Tentacle.Communication.ListenIpAddress";
  public static final String NO_LISTEN = "Tentacle.Communication.NoListen";
  public static final String TRUSTED_SERVERS = "Tentacle.Communication.TrustedServers";
  public static final String CERTIFICATE = "Tentacle.Certificate";
  public static final String CERTIFICATE_DER = "Tentacle.CertificateDer";
  public static final String CERTIFICATE_THUMBPRINT = "Tentacle.CertificateThumbprint";

  public static final int DEFAULT_LISTEN_PORT = 10933;
  public static final String DEFAULT_LISTEN_IP_ADDRESS = "0.0.0.0";
  public static final int DEFAULT_SERVER_COMMS_PORT = 10943;

  /** Common name of the certificates new-certificate makes. */
  public static final String CERTIFICATE_COMMON_NAME = "Sepia Tentacle";

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

  private final String instanceName;
  private final ConfigFile file;
  private final MachineKey machineKey;

  public TentacleConfig(String instanceName, ConfigFile file, MachineKey machineKey) {
    this.instanceName = instanceName;
    this.file = file;
    this.machineKey = machineKey;
  }

  public String instanceName() {
    return instanceName;
  }

  public ConfigFile file() {
    return file;
  }

  public Path configPath() {
    return file.file();
  }

  // ---- folders ----

  /** The home folder: service state and logs; the config file's folder unless set. */
  public Path home() {
    return file.get(HOME).map(Path::of).orElseGet(() -> file.file().toAbsolutePath().getParent());
  }

  public void setHome(Path home) {
    file.set(HOME, home.toAbsolutePath().normalize().toString());
  }

  /**
   * The application folder: script workspaces ({@code work/}) and transferred files ({@code
   * files/}).
   */
  public Path app() {
    return file.get(APP).map(Path::of).orElseGet(() -> home().resolve("app"));
  }

  public void setApp(Path app) {
    file.set(APP, app.toAbsolutePath().normalize().toString());
  }

  // ---- listening ----

  public int listenPort() {
    String value = file.getOrDefault(LISTEN_PORT, Integer.toString(DEFAULT_LISTEN_PORT));
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new OperatorException(
        "The setting "
            + LISTEN_PORT
            + " in "
            + file.file()
            + " is '"
            + value
            + "', which is not a port number. Fix it with: sepia-tentacle configure --instance "
            + instanceName
            + " --port 10933");
  }

  /** Sets the port; 0 (any free port) is for tests and is refused by {@code configure}. */
  public void setListenPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Not a port: " + port);
    }
    file.set(LISTEN_PORT, Integer.toString(port));
  }

  public String listenIpAddress() {
    return file.getOrDefault(LISTEN_IP_ADDRESS, DEFAULT_LISTEN_IP_ADDRESS);
  }

  public void setListenIpAddress(String address) {
    file.set(LISTEN_IP_ADDRESS, parseIpAddress(address).getHostAddress());
  }

  /** True for a polling-only Tentacle, which opens no port. */
  public boolean noListen() {
    return Boolean.parseBoolean(file.getOrDefault(NO_LISTEN, "false").trim());
  }

  public void setNoListen(boolean noListen) {
    file.set(NO_LISTEN, Boolean.toString(noListen));
  }

  // ---- certificate ----

  public boolean hasCertificate() {
    return file.get(CERTIFICATE).isPresent() && file.get(CERTIFICATE_DER).isPresent();
  }

  /** The thumbprint of this Tentacle's certificate, if it has one; needs no key. */
  public Optional<String> thumbprint() {
    if (!hasCertificate()) {
      return Optional.empty();
    }
    return Optional.of(
        file.get(CERTIFICATE_THUMBPRINT)
            .orElseGet(() -> Certificates.thumbprint(certificate().orElseThrow())));
  }

  /** The public certificate, if there is one; needs no key. */
  public Optional<X509Certificate> certificate() {
    Optional<String> der = file.get(CERTIFICATE_DER);
    if (der.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Certificates.decodeCertificate(Base64.getDecoder().decode(der.get())));
    } catch (IllegalArgumentException e) {
      throw new OperatorException(
          "The setting "
              + CERTIFICATE_DER
              + " in "
              + file.file()
              + " is damaged. Make a new certificate with: sepia-tentacle new-certificate"
              + " --instance "
              + instanceName);
    }
  }

  /**
   * The certificate and its private key, as this Tentacle presents them in TLS.
   *
   * @throws OperatorException if there is none, or it cannot be opened on this machine
   */
  public CertificateWithKey identity() {
    X509Certificate certificate =
        certificate()
            .filter(c -> file.get(CERTIFICATE).isPresent())
            .orElseThrow(
                () ->
                    new OperatorException(
                        "Instance '"
                            + instanceName
                            + "' has no certificate yet. Create one with: sepia-tentacle"
                            + " new-certificate --instance "
                            + instanceName));
    byte[] pkcs8 = unprotect(CERTIFICATE, file.get(CERTIFICATE).orElseThrow());
    try {
      PrivateKey key = Certificates.decodePrivateKey(pkcs8);
      return new CertificateWithKey(certificate, key);
    } catch (IllegalArgumentException e) {
      throw new OperatorException(
          "The setting "
              + CERTIFICATE
              + " in "
              + file.file()
              + " does not hold a usable private key. Make a new certificate with:"
              + " sepia-tentacle new-certificate --instance "
              + instanceName);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** Makes {@code identity} this Tentacle's certificate (in memory until {@link #save()}). */
  public void setCertificate(CertificateWithKey identity) {
    byte[] pkcs8 = Certificates.encodePrivateKey(identity.privateKey());
    try {
      file.set(CERTIFICATE, machineKey.protect(CERTIFICATE, pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "Protecting " + CERTIFICATE + " with the machine key failed", e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    try {
      file.set(
          CERTIFICATE_DER, Base64.getEncoder().encodeToString(identity.certificate().getEncoded()));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalArgumentException("The certificate cannot be encoded", e);
    }
    file.set(CERTIFICATE_THUMBPRINT, identity.thumbprint());
  }

  // ---- trust ----

  /** The servers this Tentacle obeys. */
  public TrustedServers trustedServers() {
    String json = file.getOrDefault(TRUSTED_SERVERS, "[]");
    try {
      return TrustedServers.parse(json);
    } catch (IllegalArgumentException e) {
      throw new OperatorException(
          "The setting "
              + TRUSTED_SERVERS
              + " in "
              + file.file()
              + " cannot be read: "
              + e.getMessage()
              + ". Start the list again with: sepia-tentacle configure --instance "
              + instanceName
              + " --reset-trust --trust=<server thumbprint>");
    }
  }

  public void setTrustedServers(TrustedServers servers) {
    file.set(TRUSTED_SERVERS, servers.toJson());
  }

  /** Trusts no server ({@code configure --reset-trust}). */
  public void resetTrust() {
    setTrustedServers(trustedServers().reset());
  }

  public void removeTrust(String thumbprint) {
    setTrustedServers(trustedServers().remove(thumbprint));
  }

  /** Trusts a server; idempotent. */
  public void addTrust(String thumbprint) {
    setTrustedServers(trustedServers().add(thumbprint));
  }

  /** Replaces a server's thumbprint in every entry that has it. */
  public void updateTrust(String oldThumbprint, String newThumbprint) {
    setTrustedServers(trustedServers().updateTrust(oldThumbprint, newThumbprint));
  }

  /** Sets how this Tentacle reaches the server with {@code thumbprint}. */
  public void setServerComms(String thumbprint, CommunicationStyle style, String host, int port) {
    setTrustedServers(trustedServers().setServerComms(thumbprint, style, host, port));
  }

  public void save() {
    file.save();
  }

  // ---- input checks shared by the commands ----

  /**
   * An IPv4 or IPv6 address typed by an operator (never a host name: that would need DNS).
   *
   * @throws OperatorException (exit code 2) if it is not one
   */
  public static InetAddress parseIpAddress(String text) {
    String value = text == null ? "" : text.trim();
    if (value.startsWith("[") && value.endsWith("]")) {
      value = value.substring(1, value.length() - 1);
    }
    boolean literal =
        IPV4.matcher(value).matches()
            || (value.contains(":") && IPV6_CHARS.matcher(value).matches());
    if (literal) {
      try {
        return InetAddress.getByName(value); // a literal: no DNS lookup happens
      } catch (UnknownHostException e) {
        // reported below
      }
    }
    throw new OperatorException(
        "'"
            + text
            + "' is not an IP address. Give an IPv4 or IPv6 address, e.g. 0.0.0.0 (every"
            + " interface), 127.0.0.1 or ::.",
        2);
  }

  /**
   * A TCP port given with {@code flag}.
   *
   * @throws OperatorException (exit code 2) unless 1–65535
   */
  public static int requirePort(int port, String flag, int usual) {
    if (port < 1 || port > 65535) {
      throw new OperatorException(
          flag
              + " must be between 1 and 65535 (the usual value is "
              + usual
              + "); got "
              + port
              + ".",
          2);
    }
    return port;
  }

  /**
   * A thumbprint given with {@code flag}, in canonical form.
   *
   * @throws OperatorException (exit code 2) saying what is wrong with it
   */
  public static String requireThumbprint(String input, String flag) {
    if (input == null || input.isBlank()) {
      throw new OperatorException(flag + " needs a thumbprint.", 2);
    }
    try {
      return Certificates.normalizeThumbprint(input);
    } catch (IllegalArgumentException e) {
      throw new OperatorException(
          flag
              + " '"
              + input
              + "' is not a thumbprint. "
              + e.getMessage()
              + " The server prints it with: sepia-server show-thumbprint",
          2);
    }
  }

  /** {@code true} or {@code false}, in any case. */
  public static boolean parseBoolean(String text, String flag) {
    String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new OperatorException(flag + " takes true or false; got '" + text + "'.", 2);
    };
  }

  private byte[] unprotect(String setting, String stored) {
    try {
      return machineKey.unprotect(setting, stored);
    } catch (ForeignMachineException e) {
      throw new OperatorException(
          "The setting "
              + setting
              + " in "
              + file.file()
              + " cannot be opened on this machine. "
              + e.getMessage()
              + " A Tentacle's private key stays on the machine it was made on: here, run"
              + " sepia-tentacle new-certificate --instance "
              + instanceName
              + " (then trust the new thumbprint on the server), or import-certificate from a PFX"
              + " backup.");
    } catch (GeneralSecurityException e) {
      throw new OperatorException(
          "The setting "
              + setting
              + " in "
              + file.file()
              + " is damaged and cannot be opened with this machine's key ("
              + machineKey.file()
              + "). Make a new certificate with: sepia-tentacle new-certificate --instance "
              + instanceName);
    }
  }

  @Override
  public String toString() {
    return "TentacleConfig[" + instanceName + ", " + file.file() + "]";
  }
}
