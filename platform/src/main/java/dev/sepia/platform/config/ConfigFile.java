package dev.sepia.platform.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.platform.AtomicFiles;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An instance's settings: a flat JSON object of string to string, keys sorted and pretty-printed so
 * an operator can read and diff it, for example {@code {"Sepia.Home": "/var/lib/sepia"}}.
 *
 * <p>Changes stay in memory until {@link #save()}, which replaces the file atomically with mode
 * 0600 (it may hold the wrapped master key). Not thread-safe: one command owns one instance. When
 * reading, numbers and booleans written by hand are taken as their text; nested values are refused.
 */
public final class ConfigFile {

  private static final String FIX_HINT = "Restore it from a backup or re-create the instance.";

  private final Path file;
  private final SortedMap<String, String> settings;

  private ConfigFile(Path file, SortedMap<String, String> settings) {
    this.file = file;
    this.settings = settings;
  }

  /** Reads an existing config file; a missing or broken one is an error naming the file. */
  public static ConfigFile load(Path file) {
    Path path = file.toAbsolutePath().normalize();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new OperatorException(
          "The config file "
              + path
              + " does not exist. Check the --config path or the instance registry, or create"
              + " the instance with create-instance.",
          e);
    } catch (IOException e) {
      throw new OperatorException(
          "The config file " + path + " cannot be read: " + AtomicFiles.reason(e) + ".", e);
    }
    return new ConfigFile(path, parse(path, bytes));
  }

  /** A new, empty config that will be written to {@code file} on {@link #save()}. */
  public static ConfigFile createNew(Path file) {
    Path path = file.toAbsolutePath().normalize();
    if (Files.exists(path)) {
      throw new OperatorException(
          "The config file "
              + path
              + " already exists. Choose another --config path, or use the existing file.");
    }
    return new ConfigFile(path, new TreeMap<>());
  }

  public Path file() {
    return file;
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  public String getOrDefault(String key, String dflt) {
    return settings.getOrDefault(key, dflt);
  }

  /** Sets a value in memory; call {@link #save()} to write it. */
  public ConfigFile set(String key, String value) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("A setting needs a non-blank key");
    }
    settings.put(key, Objects.requireNonNull(value, "value (use remove to delete a setting)"));
    return this;
  }

  /** Removes a value in memory; call {@link #save()} to write it. */
  public ConfigFile remove(String key) {
    settings.remove(key);
    return this;
  }

  /** All settings, sorted by key; mask secrets before showing them (see {@link SecretMasking}). */
  public Map<String, String> entries() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(settings));
  }

  /** Writes all settings: temp file in the same folder, fsync, atomic rename; mode 0600. */
  public void save() {
    try {
      String text = Json.mapper().writeValueAsString(settings) + "\n";
      AtomicFiles.writeOwnerOnly(file, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot write the config file " + file + ": " + AtomicFiles.reason(e) + ".", e);
    }
  }

  /** Names the file and counts settings; never prints values, which may be secrets. */
  @Override
  public String toString() {
    return "ConfigFile[" + file + ", " + settings.size() + " settings]";
  }

  private static SortedMap<String, String> parse(Path path, byte[] bytes) {
    ObjectMapper json = Json.mapper();
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new OperatorException(
          "The config file "
              + path
              + " is not valid JSON (line "
              + line
              + "): "
              + e.getOriginalMessage()
              + ". "
              + FIX_HINT,
          e);
    } catch (IOException e) {
      throw new OperatorException(
          "The config file " + path + " cannot be read: " + AtomicFiles.reason(e) + ".", e);
    }
    if (root == null || root.isMissingNode()) {
      throw new OperatorException("The config file " + path + " is empty. " + FIX_HINT);
    }
    if (!root.isObject()) {
      throw new OperatorException(
          "The config file "
              + path
              + " does not hold a JSON object of settings (found "
              + root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + "). "
              + FIX_HINT);
    }
    SortedMap<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      JsonNode value = field.getValue();
      if (!value.isValueNode() || value.isNull()) {
        throw new OperatorException(
            "The config file "
                + path
                + " has a setting that is not a text value: '"
                + field.getKey()
                + "'. Every setting is a string; fix or remove that line.");
      }
      settings.put(field.getKey(), value.asText());
    }
    return settings;
  }
}
