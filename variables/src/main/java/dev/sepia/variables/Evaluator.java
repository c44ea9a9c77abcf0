package dev.sepia.variables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One evaluation against a dictionary. Not thread-safe and used once: it remembers the variables
 * being evaluated (to find loops), the values already evaluated (so a value used a thousand times
 * is evaluated once), every undefined name, and every string derived from a secret.
 */
final class Evaluator {

  /** Variables may refer to variables this many levels deep. */
  static final int MAX_DEPTH = 32;

  /** A result longer than this is refused: it means values that repeat each other. */
  static final int MAX_LENGTH = 10_000_000;

  private final VariableDictionary dictionary;
  private final LinkedHashMap<String, String> inProgress = new LinkedHashMap<>();
  private final Map<String, Evaluated> evaluated = new HashMap<>();
  private final Set<String> derivedSecrets = new LinkedHashSet<>();
  private final Map<String, Use> undefined = new LinkedHashMap<>();
  private final Set<String> sensitiveWithUndefined = new LinkedHashSet<>();

  Evaluator(VariableDictionary dictionary) {
    this.dictionary = dictionary;
  }

  /** Where an undefined name is first used. */
  private record Use(String name, String where) {}

  /** A value while evaluating: its text and whether it came from a secret. */
  private record Value(String text, boolean sensitive) {}

  /** Text being produced, and whether any sensitive piece went into it. */
  private static final class Output {
    final StringBuilder text = new StringBuilder();
    boolean sensitive;

    void append(String piece, boolean fromSecret) throws SubstitutionException {
      if (text.length() + piece.length() > MAX_LENGTH) {
        throw new SubstitutionException(
            "The result would be longer than "
                + MAX_LENGTH
                + " characters; some variables probably repeat each other many times over.");
      }
      text.append(piece);
      sensitive |= fromSecret;
    }
  }

  Evaluated template(String template) throws SubstitutionException {
    Output output = evaluate(Source.template(template));
    failOnUndefined();
    return new Evaluated(output.text.toString(), output.sensitive, derivedSecrets);
  }

  Evaluated variable(String name) throws SubstitutionException {
    Evaluated value = variable(name, null);
    if (value == null) {
      throw new SubstitutionException("The variable '" + name + "' is not defined.", List.of(name));
    }
    failOnUndefined();
    return new Evaluated(value.text(), value.sensitive(), derivedSecrets);
  }

  private Output evaluate(Source source) throws SubstitutionException {
    List<Node> nodes = TemplateParser.parse(source);
    Output output = new Output();
    run(nodes, Map.of(), output, source);
    return output;
  }

  private void run(List<Node> nodes, Map<String, Value> locals, Output output, Source source)
      throws SubstitutionException {
    for (Node node : nodes) {
      switch (node) {
        case Node.Text text -> output.append(text.text(), false);
        case Node.Reference reference -> {
          Value value = lookup(reference.name(), locals, reference.offset(), source, true);
          if (value != null) {
            String text = value.text();
            for (Filter filter : reference.filters()) {
              text = filter.apply(text);
              if (value.sensitive()) {
                secret(text);
              }
            }
            output.append(text, value.sensitive());
          }
        }
        case Node.Conditional conditional -> {
          Value value = lookup(conditional.name(), locals, conditional.offset(), source, false);
          boolean truth = value != null && isTrue(value.text());
          run(
              truth != conditional.negated() ? conditional.then() : conditional.otherwise(),
              locals,
              output,
              source);
        }
        case Node.Each each -> {
          Value list = lookup(each.list(), locals, each.offset(), source, false);
          if (list == null) {
            continue;
          }
          for (String entry : list.text().split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
              continue;
            }
            if (list.sensitive()) {
              secret(item);
            }
            Map<String, Value> inner = new HashMap<>(locals);
            inner.put(VariableNames.key(each.item()), new Value(item, list.sensitive()));
            run(each.body(), inner, output, source);
          }
        }
      }
    }
  }

  /** False for an empty value, "false", "0" and "no" (ignoring case and surrounding spaces). */
  static boolean isTrue(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    return !(v.isEmpty() || v.equals("false") || v.equals("0") || v.equals("no"));
  }

  private Value lookup(
      String name, Map<String, Value> locals, int offset, Source source, boolean required)
      throws SubstitutionException {
    Value local = locals.get(VariableNames.key(name));
    if (local != null) {
      return local;
    }
    Evaluated value = variable(name, source);
    if (value == null) {
      if (required) {
        recordUndefined(name, offset, source);
      }
      return null;
    }
    return new Value(value.text(), value.sensitive());
  }

  /** The variable's evaluated value, or null when it is not defined. */
  private Evaluated variable(String name, Source referencedFrom) throws SubstitutionException {
    String key = VariableNames.key(name);
    Evaluated done = evaluated.get(key);
    if (done != null) {
      return done;
    }
    if (!dictionary.contains(name)) {
      return null;
    }
    String canonical = dictionary.canonicalName(name);
    if (inProgress.containsKey(key)) {
      List<String> chain = new ArrayList<>();
      boolean inLoop = false;
      for (Map.Entry<String, String> e : inProgress.entrySet()) {
        inLoop |= e.getKey().equals(key);
        if (inLoop) {
          chain.add(e.getValue());
        }
      }
      chain.add(canonical);
      throw new SubstitutionException(
          "Variables refer to each other in a loop: "
              + String.join(" → ", chain)
              + ". Change one of them so the chain ends in a value.");
    }
    if (inProgress.size() >= MAX_DEPTH) {
      throw new SubstitutionException(
          "Variables refer to variables more than "
              + MAX_DEPTH
              + " levels deep ("
              + String.join(" → ", inProgress.values())
              + " → "
              + canonical
              + " ...). Shorten the chain.");
    }
    boolean sensitive = dictionary.isSensitive(name);
    String raw = dictionary.raw(name).orElseThrow();
    inProgress.put(key, canonical);
    Output output;
    try {
      output = evaluate(Source.valueOf(canonical, raw, sensitive));
    } finally {
      inProgress.remove(key);
    }
    boolean result = sensitive || output.sensitive;
    String text = output.text.toString();
    if (sensitive) {
      secret(raw);
    }
    if (result) {
      secret(text);
    }
    Evaluated value = new Evaluated(text, result, Set.of());
    evaluated.put(key, value);
    return value;
  }

  private void secret(String text) {
    if (!text.isEmpty()) {
      derivedSecrets.add(text);
    }
  }

  private void recordUndefined(String name, int offset, Source source) {
    if (source.sensitive()) {
      sensitiveWithUndefined.add(source.variable());
      return;
    }
    undefined.putIfAbsent(VariableNames.key(name), new Use(name, source.where(offset)));
  }

  private void failOnUndefined() throws SubstitutionException {
    if (undefined.isEmpty() && sensitiveWithUndefined.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder();
    List<Use> uses = List.copyOf(undefined.values());
    if (uses.size() == 1) {
      Use use = uses.getFirst();
      message
          .append("The variable '")
          .append(use.name())
          .append("' is not defined (used at ")
          .append(use.where())
          .append(").");
    } else if (uses.size() > 1) {
      message
          .append("These variables are not defined: ")
          .append(
              uses.stream()
                  .map(use -> "'" + use.name() + "' (used at " + use.where() + ")")
                  .collect(Collectors.joining(", ")))
          .append('.');
    }
    for (String variable : sensitiveWithUndefined) {
      if (!message.isEmpty()) {
        message.append(' ');
      }
      message
          .append("The value of sensitive variable '")
          .append(variable)
          .append("' refers to a variable that is not defined (its name is not shown, as it is")
          .append(" part of a sensitive value).");
    }
    message.append(
        " Define "
            + (undefined.size() + sensitiveWithUndefined.size() == 1 ? "it" : "them")
            + " for this scope, or write '##{' for a literal '#{'.");
    throw new SubstitutionException(message.toString(), uses.stream().map(Use::name).toList());
  }
}
