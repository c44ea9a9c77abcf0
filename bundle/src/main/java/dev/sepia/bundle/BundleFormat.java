package dev.sepia.bundle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two JSON documents of a bundle, format 1: {@code bundle.json} (everything but sensitive
 * values, readable by the operator) and the plaintext of {@code sensitive.sealed} (sensitive
 * variables and sensitive step parameters). The sealed document repeats the deployment id and the
 * step names, so a sealed file from another bundle is noticed rather than half-applied.
 */
final class BundleFormat {

  static final long VERSION = 1;

  private BundleFormat() {}

  /** The deployment as read back from a bundle: what {@code bundle.json} says, and when written. */
  record Manifest(BundleContent plain, String created) {}

  /** The sensitive half, as opened from {@code sensitive.sealed}. */
  record Sensitive(
      String deploymentId,
      Map<String, String> variables,
      List<String> stepNames,
      List<Map<String, String>> stepParameters) {}

  static String manifest(BundleContent content, Instant created) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("formatVersion", VERSION);
    root.put("projectName", content.projectName());
    root.put("releaseNumber", content.releaseNumber());
    root.put("environmentName", content.environmentName());
    root.put("targetName", content.targetName());
    root.put("deploymentId", content.deploymentId());
    root.put("created", created.toString());
    List<Object> steps = new ArrayList<>();
    for (BundleStep step : content.steps()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", step.name());
      json.put("parameters", step.parameters());
      // Names only, so an operator can see what is sealed without the values.
      json.put("sensitiveParameterNames", List.copyOf(step.sensitiveParameters().keySet()));
      json.put("script", step.script());
      steps.add(json);
    }
    root.put("steps", steps);
    root.put("variables", content.variables());
    root.put("sensitiveVariableNames", List.copyOf(content.sensitiveVariables().keySet()));
    return Json.write(root);
  }

  static String sensitive(BundleContent content) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("formatVersion", VERSION);
    root.put("deploymentId", content.deploymentId());
    root.put("variables", content.sensitiveVariables());
    List<Object> steps = new ArrayList<>();
    for (BundleStep step : content.steps()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", step.name());
      json.put("parameters", step.sensitiveParameters());
      steps.add(json);
    }
    root.put("steps", steps);
    return Json.write(root);
  }

  /**
   * Reads {@code bundle.json}; its sensitive maps are empty.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  static Manifest readManifest(String text) {
    Map<String, Object> root = object(Json.read(text), "the document");
    checkVersion(root);
    List<BundleStep> steps = new ArrayList<>();
    for (Object item : list(root, "steps")) {
      Map<String, Object> step = object(item, "a step");
      steps.add(
          new BundleStep(
              string(step, "name"), string(step, "script"), strings(step, "parameters"), Map.of()));
    }
    BundleContent plain =
        new BundleContent(
            string(root, "projectName"),
            string(root, "releaseNumber"),
            string(root, "environmentName"),
            string(root, "targetName"),
            string(root, "deploymentId"),
            steps,
            strings(root, "variables"),
            Map.of());
    return new Manifest(plain, string(root, "created"));
  }

  /**
   * Reads the opened {@code sensitive.sealed}.
   *
   * @throws IllegalArgumentException saying what is wrong with it, never a value
   */
  static Sensitive readSensitive(String text) {
    Map<String, Object> root;
    try {
      root = object(Json.read(text), "the document");
    } catch (IllegalArgumentException e) {
      // The parser's message names only a position, but stay on the safe side of secrets.
      throw new IllegalArgumentException("The sealed values are not valid JSON");
    }
    checkVersion(root);
    List<String> names = new ArrayList<>();
    List<Map<String, String>> parameters = new ArrayList<>();
    for (Object item : list(root, "steps")) {
      Map<String, Object> step = object(item, "a step");
      names.add(string(step, "name"));
      parameters.add(strings(step, "parameters"));
    }
    return new Sensitive(
        string(root, "deploymentId"), strings(root, "variables"), names, parameters);
  }

  /**
   * The whole content: the manifest's plain parts with the sensitive values put back.
   *
   * @throws IllegalArgumentException if the sealed values belong to another bundle
   */
  static BundleContent combine(BundleContent plain, Sensitive sensitive) {
    List<String> manifestNames = plain.steps().stream().map(BundleStep::name).toList();
    if (!plain.deploymentId().equals(sensitive.deploymentId())
        || !manifestNames.equals(sensitive.stepNames())) {
      throw new IllegalArgumentException(
          "sensitive.sealed belongs to another bundle (its deployment or steps differ from"
              + " bundle.json); copy the bundle folder again as one piece");
    }
    List<BundleStep> steps = new ArrayList<>();
    for (int i = 0; i < plain.steps().size(); i++) {
      BundleStep step = plain.steps().get(i);
      steps.add(
          new BundleStep(
              step.name(), step.script(), step.parameters(), sensitive.stepParameters().get(i)));
    }
    return new BundleContent(
        plain.projectName(),
        plain.releaseNumber(),
        plain.environmentName(),
        plain.targetName(),
        plain.deploymentId(),
        steps,
        plain.variables(),
        sensitive.variables());
  }

  private static void checkVersion(Map<String, Object> root) {
    Object version = root.get("formatVersion");
    if (!Long.valueOf(VERSION).equals(version)) {
      throw new IllegalArgumentException(
          "it is in format "
              + version
              + ", and this runner reads format "
              + VERSION
              + "; run the deploy.sh that came in the same bundle");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException(what + " should be a JSON object");
  }

  private static List<?> list(Map<String, Object> object, String key) {
    if (object.get(key) instanceof List<?> list) {
      return list;
    }
    throw new IllegalArgumentException("\"" + key + "\" should be a list");
  }

  private static String string(Map<String, Object> object, String key) {
    if (object.get(key) instanceof String text) {
      return text;
    }
    throw new IllegalArgumentException("\"" + key + "\" should be a string");
  }

  private static Map<String, String> strings(Map<String, Object> object, String key) {
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : object(object.get(key), "\"" + key + "\"").entrySet()) {
      if (!(entry.getValue() instanceof String text)) {
        throw new IllegalArgumentException(
            "\"" + key + "\" should hold only strings, but \"" + entry.getKey() + "\" does not");
      }
      result.put(entry.getKey(), text);
    }
    return result;
  }
}
