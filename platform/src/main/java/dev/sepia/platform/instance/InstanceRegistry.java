package dev.sepia.platform.instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sepia.platform.AtomicFiles;
import dev.sepia.platform.LockFile;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The instances of one product (server or Tentacle) on this machine, kept in {@code
 * <machineDir>/<product>-instances.json} so {@code --instance} can be left out when there is only
 * one. Names compare case-insensitively (an operator typing {@code default} means {@code Default})
 * but keep the spelling they were created with.
 *
 * <p>Changes are made under a lock file and written atomically, so two commands run at once cannot
 * lose each other's instance or leave a half-written registry.
 */
public final class InstanceRegistry {

  /** The instance used when there are several and none is named on the command line. */
  public static final String DEFAULT_NAME = "Default";

  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern VALID_PRODUCT = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);

  private final String product;
  private final Path file;
  private final Path lockFile;
  private final ObjectMapper json = Json.mapper();

  /**
   * @param machineDir the folder from {@link MachineDirectory#resolve}
   * @param product {@code "server"} or {@code "tentacle"}
   */
  public InstanceRegistry(Path machineDir, String product) {
    Objects.requireNonNull(machineDir, "machineDir");
    if (product == null || !VALID_PRODUCT.matcher(product).matches()) {
      throw new IllegalArgumentException("product must be lower-case, like \"server\": " + product);
    }
    this.product = product;
    this.file = machineDir.toAbsolutePath().normalize().resolve(product + "-instances.json");
    this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
  }

  /** The registry file, for messages that need to say where instances are looked up. */
  public Path file() {
    return file;
  }

  /** Every instance, in the order they were added. */
  public List<InstanceRecord> list() {
    return read();
  }

  /** The instance with this name in any case, if there is one. */
  public Optional<InstanceRecord> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return find(read(), name);
  }

  /**
   * Registers a new instance. The config path is stored absolute, so the instance can be found from
   * any working directory.
   */
  public void add(String name, Path configFile) {
    validateName(name);
    Objects.requireNonNull(configFile, "configFile");
    Path config = configFile.toAbsolutePath().normalize();
    LockFile.run(
        lockFile,
        LOCK_TIMEOUT,
        () -> {
          List<InstanceRecord> records = read();
          Optional<InstanceRecord> existing = find(records, name);
          if (existing.isPresent()) {
            throw new OperatorException(
                "An instance named '"
                    + existing.get().name()
                    + "' already exists (config: "
                    + existing.get().configFile()
                    + "). Choose another --instance name, or run delete-instance --instance "
                    + existing.get().name()
                    + " first.");
          }
          records.add(new InstanceRecord(name, config));
          write(records);
        });
  }

  /** Unregisters an instance; its config file and home folder are left alone. */
  public void remove(String name) {
    LockFile.run(
        lockFile,
        LOCK_TIMEOUT,
        () -> {
          List<InstanceRecord> records = read();
          Optional<InstanceRecord> existing = name == null ? Optional.empty() : find(records, name);
          if (existing.isEmpty()) {
            throw new OperatorException(
                "There is no instance named '"
                    + name
                    + "'. Known instances: "
                    + names(records)
                    + ".");
          }
          records.remove(existing.get());
          write(records);
        });
  }

  /**
   * The instance a command should act on: the named one; or, with no name, the only instance, or
   * else the one named {@value #DEFAULT_NAME}.
   */
  public InstanceRecord resolve(String nameOrNull) {
    List<InstanceRecord> records = read();
    if (nameOrNull != null) {
      return find(records, nameOrNull)
          .orElseThrow(
              () ->
                  new OperatorException(
                      "There is no instance named '"
                          + nameOrNull
                          + "'. Known instances: "
                          + names(records)
                          + ". Create it with create-instance --instance "
                          + nameOrNull
                          + " --config FILE."));
    }
    if (records.isEmpty()) {
      throw new OperatorException(
          "No Sepia "
              + product
              + " instance exists on this machine yet. Create one with: create-instance --instance"
              + " Default --config FILE");
    }
    if (records.size() == 1) {
      return records.get(0);
    }
    return find(records, DEFAULT_NAME)
        .orElseThrow(
            () ->
                new OperatorException(
                    "There are "
                        + records.size()
                        + " Sepia "
                        + product
                        + " instances on this machine ("
                        + names(records)
                        + ") and none is named Default. Pass --instance NAME to choose one."));
  }

  /** Throws unless {@code name} is 1–64 letters, digits, '-', '_' or '.'. */
  public static void validateName(String name) {
    if (name == null || !VALID_NAME.matcher(name).matches()) {
      throw new OperatorException(
          "'"
              + name
              + "' is not a valid instance name. Use 1 to 64 characters: letters, digits, '-', '_'"
              + " or '.'.");
    }
  }

  private static Optional<InstanceRecord> find(List<InstanceRecord> records, String name) {
    return records.stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst();
  }

  private static String names(List<InstanceRecord> records) {
    return records.isEmpty()
        ? "(none)"
        : records.stream().map(InstanceRecord::name).collect(Collectors.joining(", "));
  }

  private List<InstanceRecord> read() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new ArrayList<>();
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot read the instance registry " + file + ": " + AtomicFiles.reason(e) + ".", e);
    }
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw corrupt("is not valid JSON (line " + line + "): " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw corrupt("cannot be parsed: " + AtomicFiles.reason(e), e);
    }
    if (root == null || root.isMissingNode()) {
      return new ArrayList<>(); // an empty file: nothing registered yet
    }
    if (!root.isArray()) {
      throw corrupt("does not hold a JSON array of instances", null);
    }
    List<InstanceRecord> records = new ArrayList<>();
    for (JsonNode entry : root) {
      JsonNode name = entry.get("name");
      JsonNode configFile = entry.get("configFile");
      if (name == null || !name.isTextual() || configFile == null || !configFile.isTextual()) {
        throw corrupt("has an entry without a text \"name\" and \"configFile\": " + entry, null);
      }
      records.add(new InstanceRecord(name.asText(), Path.of(configFile.asText())));
    }
    return records;
  }

  private void write(List<InstanceRecord> records) {
    ArrayNode array = json.createArrayNode();
    for (InstanceRecord record : records) {
      array
          .addObject()
          .put("name", record.name())
          .put("configFile", record.configFile().toString());
    }
    try {
      String text = json.writeValueAsString(array) + "\n";
      AtomicFiles.writeOwnerOnly(file, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot write the instance registry " + file + ": " + AtomicFiles.reason(e) + ".", e);
    }
  }

  private OperatorException corrupt(String problem, Exception cause) {
    return new OperatorException(
        "The instance registry "
            + file
            + " "
            + problem
            + ". Restore it from a backup, or fix it by hand: it is a JSON array of"
            + " {\"name\": ..., \"configFile\": ...}.",
        cause);
  }
}
