package dev.sepia.variables;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The variables that apply to one deployment target, already resolved: one value per name, each
 * plain or sensitive. Names are case-insensitive. Immutable and thread-safe; {@link #with} returns
 * a copy. {@link #toString()} shows names only, never values.
 */
public final class VariableDictionary {

  private record Entry(String name, String value, boolean sensitive) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Keyed by lower-case name, so sorted and case-insensitive. */
  private final TreeMap<String, Entry> entries;

  private VariableDictionary(TreeMap<String, Entry> entries) {
    this.entries = entries;
  }

  /**
   * A dictionary of already-resolved values. A name given twice (in either map, in any case) is
   * refused, since which value was meant would be a guess.
   */
  public static VariableDictionary of(Map<String, String> plain, Map<String, String> sensitive) {
    TreeMap<String, Entry> entries = new TreeMap<>();
    add(entries, plain, false);
    add(entries, sensitive, true);
    return new VariableDictionary(entries);
  }

  /**
   * A copy with extra entries, e.g. a step's parameters as "Parameters.Name". An entry whose name
   * is already present (in any case) replaces it, sensitivity included.
   */
  public VariableDictionary with(Map<String, String> plain, Map<String, String> sensitive) {
    TreeMap<String, Entry> added = new TreeMap<>();
    add(added, plain, false);
    add(added, sensitive, true);
    TreeMap<String, Entry> copy = new TreeMap<>(entries);
    copy.putAll(added);
    return new VariableDictionary(copy);
  }

  private static void add(
      TreeMap<String, Entry> entries, Map<String, String> values, boolean sensitive) {
    if (values == null) {
      return;
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      String name = VariableNames.requireValid(e.getKey());
      Objects.requireNonNull(e.getValue(), () -> "variable '" + name + "' has no value (null)");
      Entry previous =
          entries.put(VariableNames.key(name), new Entry(name, e.getValue(), sensitive));
      if (previous != null) {
        throw new IllegalArgumentException(
            "Variable '"
                + name
                + "' is given twice (also as '"
                + previous.name()
                + "'); names are case-insensitive, so give it once.");
      }
    }
  }

  /**
   * The resolver's output: the winning definition of each name, then the built-ins, which replace
   * any definition of the same name and are never sensitive.
   */
  static VariableDictionary resolved(
      Collection<VariableDefinition> winners, Map<String, String> builtIns) {
    TreeMap<String, Entry> entries = new TreeMap<>();
    for (VariableDefinition d : winners) {
      entries.put(VariableNames.key(d.name()), new Entry(d.name(), d.value(), d.sensitive()));
    }
    TreeMap<String, Entry> builtIn = new TreeMap<>();
    add(builtIn, builtIns, false);
    entries.putAll(builtIn);
    return new VariableDictionary(entries);
  }

  /** Every name, as spelled where it was defined, sorted case-insensitively. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    entries.values().forEach(entry -> names.add(entry.name()));
    return Collections.unmodifiableSet(names);
  }

  public boolean contains(String name) {
    return name != null && entries.containsKey(VariableNames.key(name));
  }

  /** Whether the variable is defined and sensitive. */
  public boolean isSensitive(String name) {
    Entry entry = entry(name);
    return entry != null && entry.sensitive();
  }

  /** The value as defined, before any {@code #{...}} in it is evaluated. */
  public Optional<String> raw(String name) {
    return Optional.ofNullable(entry(name)).map(Entry::value);
  }

  /** The name as spelled where it was defined; the argument itself when not defined. */
  String canonicalName(String name) {
    Entry entry = entry(name);
    return entry == null ? name : entry.name();
  }

  /**
   * Evaluates a template: references, filters and blocks (see docs/variables.md). Every undefined
   * name is reported at once, in one exception.
   */
  public Evaluated evaluate(String template) throws SubstitutionException {
    Objects.requireNonNull(template, "template");
    return new Evaluator(this).template(template);
  }

  /** A variable's value, evaluated: values may refer to other variables. */
  public Evaluated get(String name) throws SubstitutionException {
    Objects.requireNonNull(name, "name");
    return new Evaluator(this).variable(name);
  }

  /** The plain values as defined, by name; for writing an offline bundle. */
  public Map<String, String> rawPlain() {
    return values(false);
  }

  /** The sensitive values as defined, by name; for writing an offline bundle. */
  public Map<String, String> rawSensitive() {
    return values(true);
  }

  /** Every non-empty sensitive value as defined, for a {@link LogMasker}. */
  public Set<String> sensitiveValues() {
    Set<String> values = new LinkedHashSet<>();
    for (Entry entry : entries.values()) {
      if (entry.sensitive() && !entry.value().isEmpty()) {
        values.add(entry.value());
      }
    }
    return Collections.unmodifiableSet(values);
  }

  private Map<String, String> values(boolean sensitive) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Entry entry : entries.values()) {
      if (entry.sensitive() == sensitive) {
        values.put(entry.name(), entry.value());
      }
    }
    return Collections.unmodifiableMap(values);
  }

  private Entry entry(String name) {
    return name == null ? null : entries.get(VariableNames.key(name));
  }

  @Override
  public String toString() {
    return "VariableDictionary[names="
        + entries.values()
        + ", sensitive="
        + entries.values().stream().filter(Entry::sensitive).toList()
        + "]";
  }
}
