package dev.sepia.variables;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Turns template text into {@link Node}s in two passes: a tokenizer splits the text into literal
 * text and {@code #{...}} tags, then a parser with an explicit stack of open blocks builds the
 * tree, so deep nesting cannot overflow the Java stack.
 */
final class TemplateParser {

  /** Deeper block nesting than this is refused; no sane script needs it. */
  static final int MAX_BLOCK_DEPTH = 64;

  private final Source source;

  private TemplateParser(Source source) {
    this.source = source;
  }

  static List<Node> parse(Source source) throws SubstitutionException {
    return new TemplateParser(source).parse();
  }

  // ---- tokenizer

  private sealed interface Token {}

  private record Literal(String text) implements Token {}

  /** A {@code #{...}} tag: its trimmed content and where the {@code #} is. */
  private record Tag(String content, int offset) implements Token {}

  private List<Token> tokenize() throws SubstitutionException {
    String text = source.text();
    List<Token> tokens = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("##{", i)) {
        literal.append("#{");
        i += 3;
      } else if (text.startsWith("#{", i)) {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new SubstitutionException(
              "'#{' at "
                  + source.where(i)
                  + " is never closed with '}'. Close it, or write '##{' for a literal '#{'.");
        }
        if (!literal.isEmpty()) {
          tokens.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        tokens.add(new Tag(text.substring(i + 2, close).strip(), i));
        i = close + 1;
      } else {
        literal.append(text.charAt(i));
        i++;
      }
    }
    if (!literal.isEmpty()) {
      tokens.add(new Literal(literal.toString()));
    }
    return tokens;
  }

  // ---- parser

  /** A block whose closing tag has not been seen yet. */
  private static final class OpenBlock {
    final String keyword; // if, unless, each
    final String opening; // the tag as written, for messages
    final int offset;
    final String name;
    final String item;
    final List<Node> first = new ArrayList<>();
    List<Node> second; // after #{else}
    List<Node> current = first;

    OpenBlock(String keyword, String opening, int offset, String name, String item) {
      this.keyword = keyword;
      this.opening = opening;
      this.offset = offset;
      this.name = name;
      this.item = item;
    }

    Node toNode() {
      return switch (keyword) {
        case "each" -> new Node.Each(item, name, List.copyOf(first), offset);
        default ->
            new Node.Conditional(
                name,
                keyword.equals("unless"),
                List.copyOf(first),
                second == null ? List.of() : List.copyOf(second),
                offset);
      };
    }
  }

  private List<Node> parse() throws SubstitutionException {
    List<Node> root = new ArrayList<>();
    Deque<OpenBlock> open = new ArrayDeque<>();
    for (Token token : tokenize()) {
      List<Node> target = open.isEmpty() ? root : open.peek().current;
      switch (token) {
        case Literal literal -> target.add(new Node.Text(literal.text()));
        case Tag tag -> {
          String content = tag.content();
          String[] words = content.split("\\s+");
          String first = words[0].toLowerCase(Locale.ROOT);
          if (content.startsWith("/")) {
            OpenBlock closed = close(open, tag);
            (open.isEmpty() ? root : open.peek().current).add(closed.toNode());
          } else if (first.equals("if") || first.equals("unless") || first.equals("each")) {
            if (open.size() >= MAX_BLOCK_DEPTH) {
              throw new SubstitutionException(
                  "Blocks nest more than "
                      + MAX_BLOCK_DEPTH
                      + " deep at "
                      + source.where(tag.offset())
                      + ". Simplify the template.");
            }
            open.push(opening(first, words, tag));
          } else if (first.equals("else") && words.length == 1) {
            elseBranch(open, tag);
          } else {
            target.add(reference(tag));
          }
        }
      }
    }
    if (!open.isEmpty()) {
      OpenBlock unclosed = open.peek();
      throw new SubstitutionException(
          source.quote(unclosed.opening)
              + " opened at "
              + source.where(unclosed.offset)
              + " is never closed. Add '#{/"
              + unclosed.keyword
              + "}'.");
    }
    return List.copyOf(root);
  }

  private OpenBlock opening(String keyword, String[] words, Tag tag) throws SubstitutionException {
    String written = "#{" + tag.content() + "}";
    if (keyword.equals("each")) {
      if (words.length == 4
          && words[2].equalsIgnoreCase("in")
          && VariableNames.isValid(words[1])
          && VariableNames.isValid(words[3])) {
        return new OpenBlock(keyword, written, tag.offset(), words[3], words[1]);
      }
      throw new SubstitutionException(
          source.quote(written)
              + " at "
              + source.where(tag.offset())
              + " is not a valid loop. Write it as '#{each item in ListVariable}'.");
    }
    if (words.length == 2 && VariableNames.isValid(words[1])) {
      return new OpenBlock(keyword, written, tag.offset(), words[1], null);
    }
    throw new SubstitutionException(
        source.quote(written)
            + " at "
            + source.where(tag.offset())
            + " is not a valid condition. Write it as '#{"
            + keyword
            + " VariableName}'.");
  }

  private void elseBranch(Deque<OpenBlock> open, Tag tag) throws SubstitutionException {
    OpenBlock block = open.peek();
    if (block == null || block.keyword.equals("each") || block.second != null) {
      String why =
          block == null
              ? "there is no open '#{if}' or '#{unless}'"
              : block.keyword.equals("each")
                  ? "a loop has no '#{else}'"
                  : "this block already has an '#{else}'";
      throw new SubstitutionException(
          "'#{else}' at " + source.where(tag.offset()) + " does not belong here: " + why + ".");
    }
    block.second = new ArrayList<>();
    block.current = block.second;
  }

  private OpenBlock close(Deque<OpenBlock> open, Tag tag) throws SubstitutionException {
    String keyword = tag.content().substring(1).strip().toLowerCase(Locale.ROOT);
    String written = "#{" + tag.content() + "}";
    if (!keyword.equals("if") && !keyword.equals("unless") && !keyword.equals("each")) {
      throw new SubstitutionException(
          source.quote(written)
              + " at "
              + source.where(tag.offset())
              + " is not a closing tag. Blocks close with '#{/if}', '#{/unless}' or '#{/each}'.");
    }
    OpenBlock block = open.peek();
    if (block == null) {
      throw new SubstitutionException(
          "'#{/" + keyword + "}' at " + source.where(tag.offset()) + " closes no open block.");
    }
    if (!block.keyword.equals(keyword)) {
      throw new SubstitutionException(
          "'#{/"
              + keyword
              + "}' at "
              + source.where(tag.offset())
              + " does not match "
              + source.quote(block.opening)
              + " opened at "
              + source.where(block.offset)
              + ", which must be closed first with '#{/"
              + block.keyword
              + "}'.");
    }
    return open.pop();
  }

  private Node reference(Tag tag) throws SubstitutionException {
    String written = "#{" + tag.content() + "}";
    String[] parts = tag.content().split("\\|", -1);
    String name = parts[0].strip();
    if (!VariableNames.isValid(name)) {
      throw new SubstitutionException(
          source.quote(written)
              + " at "
              + source.where(tag.offset())
              + " is not a variable reference: a name has "
              + VariableNames.RULE
              + ". Write '##{' for a literal '#{'.");
    }
    List<Filter> filters = new ArrayList<>();
    for (int p = 1; p < parts.length; p++) {
      String filterName = parts[p].strip();
      Filter filter = Filter.named(filterName).orElse(null);
      if (filter == null) {
        String what =
            filterName.isEmpty()
                ? "An empty filter"
                : source.sensitive() ? "An unknown filter" : "Unknown filter '" + filterName + "'";
        throw new SubstitutionException(
            what
                + " in "
                + source.quote(written)
                + " at "
                + source.where(tag.offset())
                + ". Known filters: "
                + Filter.knownNames()
                + ".");
      }
      filters.add(filter);
    }
    return new Node.Reference(name, List.copyOf(filters), tag.offset());
  }
}
