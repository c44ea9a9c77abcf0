package dev.sepia.server.config;

import dev.sepia.crypto.ForeignMachineException;
import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.MachineKey;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.ConfigFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Typed view of a server instance's config file. The master key and the connection string are
 * stored protected by this machine's key, so a config copied to another machine opens nothing.
 */
public final class ServerConfig {
  public static final String HOME = "Sepia.Home";
  public static final String NODE_NAME = "Sepia.Server.NodeName";
  public static final String CONNECTION_STRING = "Sepia.Storage.ConnectionString";
  public static final String MASTER_KEY = "Sepia.Storage.MasterKey";

  /** The previous master key, kept only while a rotation re-encrypts what it sealed. */
  public static final String RETIRING_MASTER_KEY = "Sepia.Storage.RetiringMasterKey";

  public static final String LISTEN_PREFIXES = "Sepia.WebPortal.ListenPrefixes";
  public static final String COMMS_PORT = "Sepia.Communications.ServicesPort";

  public static final String DEFAULT_LISTEN_PREFIX = "http://localhost:8050";
  public static final int DEFAULT_COMMS_PORT = 10943;

  private final String instanceName;
  private final ConfigFile file;
  private final MachineKeys machineKeys;

  public ServerConfig(String instanceName, ConfigFile file, MachineKeys machineKeys) {
    this.instanceName = instanceName;
    this.file = file;
    this.machineKeys = machineKeys;
  }

  /**
   * This machine's key: reading a config never creates one (a config from elsewhere must not leave
   * a key behind); writing a protected setting creates it on first use.
   */
  public interface MachineKeys {
    Optional<MachineKey> existing();

    MachineKey createIfMissing();
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

  public Path home() {
    return file.get(HOME).map(Path::of).orElseGet(() -> file.file().toAbsolutePath().getParent());
  }

  public String nodeName() {
    return file.get(NODE_NAME).orElse(instanceName);
  }

  public String listenPrefix() {
    return file.getOrDefault(LISTEN_PREFIXES, DEFAULT_LISTEN_PREFIX);
  }

  public int commsPort() {
    return Integer.parseInt(file.getOrDefault(COMMS_PORT, Integer.toString(DEFAULT_COMMS_PORT)));
  }

  public boolean hasConnectionString() {
    return file.get(CONNECTION_STRING).isPresent();
  }

  public boolean hasMasterKey() {
    return file.get(MASTER_KEY).isPresent();
  }

  /** The connection string, or an error that says how to set one. */
  public String connectionString() {
    String stored =
        file.get(CONNECTION_STRING)
            .orElseThrow(
                () ->
                    new OperatorException(
                        "Instance '"
                            + instanceName
                            + "' has no database yet. Point it at one with: sepia-server database"
                            + " --instance "
                            + instanceName
                            + " --connectionString \"jdbc:h2:file:/var/lib/sepia/db/sepia\""
                            + " --create"));
    return new String(unprotect(CONNECTION_STRING, stored), StandardCharsets.UTF_8);
  }

  public void setConnectionString(String connectionString) {
    file.set(
        CONNECTION_STRING,
        protect(CONNECTION_STRING, connectionString.getBytes(StandardCharsets.UTF_8)));
  }

  /** The master key from the config, if one is set; fails if it cannot be opened here. */
  public Optional<SymmetricKey> masterKey() {
    return key(MASTER_KEY);
  }

  public void setMasterKey(SymmetricKey key) {
    file.set(MASTER_KEY, protect(MASTER_KEY, InsecureKeyAccess.rawBytes(key)));
  }

  /**
   * The previous master key, present only while a rotation is under way (or until a node notices
   * that it has finished); fails if it cannot be opened here.
   */
  public Optional<SymmetricKey> retiringMasterKey() {
    return key(RETIRING_MASTER_KEY);
  }

  public void setRetiringMasterKey(SymmetricKey key) {
    file.set(RETIRING_MASTER_KEY, protect(RETIRING_MASTER_KEY, InsecureKeyAccess.rawBytes(key)));
  }

  public void removeRetiringMasterKey() {
    file.remove(RETIRING_MASTER_KEY);
  }

  /** The same instance's config as it is on disk now (another process may have changed it). */
  public ServerConfig reloaded() {
    return new ServerConfig(instanceName, ConfigFile.load(file.file()), machineKeys);
  }

  private Optional<SymmetricKey> key(String setting) {
    Optional<String> stored = file.get(setting);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    byte[] raw = unprotect(setting, stored.get());
    try {
      return Optional.of(
          SymmetricKey.fromBase64(java.util.Base64.getEncoder().encodeToString(raw)));
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
  }

  public void save() {
    file.save();
  }

  private String protect(String setting, byte[] secret) {
    try {
      return machineKeys.createIfMissing().protect(setting, secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Protecting " + setting + " with the machine key failed", e);
    }
  }

  private byte[] unprotect(String setting, String stored) {
    Optional<MachineKey> key = machineKeys.existing();
    try {
      if (key.isEmpty()) {
        throw foreign(
            setting,
            "This value was protected on another machine (machine key "
                + MachineKey.keyIdOf(stored).orElse("unknown")
                + "); this machine has no machine key yet.");
      }
      return key.get().unprotect(setting, stored);
    } catch (ForeignMachineException e) {
      throw foreign(setting, e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new OperatorException(
          "The setting "
              + setting
              + " in "
              + file.file()
              + " is damaged and cannot be opened with this machine's key. "
              + giveAgain());
    }
  }

  private OperatorException foreign(String setting, String why) {
    return new OperatorException(
        "The setting "
            + setting
            + " in "
            + file.file()
            + " cannot be opened on this machine. "
            + why
            + " "
            + giveAgain()
            + " If the master key is lost for good, see lost-master-key.");
  }

  /** Both protected settings must be given again, so the advice names both flags. */
  private String giveAgain() {
    return "Give this instance its database and master key again: sepia-server database"
        + " --instance "
        + instanceName
        + " --connectionString \"<JDBC connection string>\" --masterKey <base64 key>.";
  }
}
