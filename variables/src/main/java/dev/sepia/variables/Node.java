package dev.sepia.variables;

import java.util.List;

/** A piece of a parsed template. Offsets point into the {@link Source} text, for messages. */
sealed interface Node {

  /** Literal text, copied as it is. */
  record Text(String text) implements Node {}

  /** {@code #{Name | Filter | ...}} */
  record Reference(String name, List<Filter> filters, int offset) implements Node {}

  /** {@code #{if Name}…#{else}…#{/if}}, or {@code #{unless Name}…} when {@code negated}. */
  record Conditional(
      String name, boolean negated, List<Node> then, List<Node> otherwise, int offset)
      implements Node {}

  /** {@code #{each item in Name}…#{/each}} */
  record Each(String item, String list, List<Node> body, int offset) implements Node {}
}
