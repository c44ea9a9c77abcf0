package dev.sepia.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The substitution language, as a script author writes it. */
class SubstitutionTest {

  private static final VariableDictionary VARIABLES =
      VariableDictionary.of(
          Map.ofEntries(
              Map.entry("Name", "Shop"),
              Map.entry("Sepia.Environment.Name", "Production"),
              Map.entry("Greeting", "Hello #{Name}"),
              Map.entry("Url", "https://#{Host}:#{Port}/#{Name | ToLower}"),
              Map.entry("Host", "shop.example"),
              Map.entry("Port", "8443"),
              Map.entry("Level1", "#{Level2}!"),
              Map.entry("Level2", "#{Level3}?"),
              Map.entry("Level3", "end"),
              Map.entry("Escaped", "##{Name} is #{Name}"),
              Map.entry("Mixed", "MiXeD Case"),
              Map.entry("Quote", "say \"hi\"\\\n\tnow"),
              Map.entry("Yes", "true"),
              Map.entry("One", "1"),
              Map.entry("No", "false"),
              Map.entry("FalseCap", "False"),
              Map.entry("Zero", "0"),
              Map.entry("NoWord", "no"),
              Map.entry("Empty", ""),
              Map.entry("Servers", "web1, web2 ,,web3"),
              Map.entry("Ports", "80,443"),
              Map.entry("WebTier", "#{if Yes}web#{/if}"),
              Map.entry("snake_case-name.v2", "ok")),
          Map.of());

  private static String evaluate(String template) throws SubstitutionException {
    return VARIABLES.evaluate(template).text();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "#{Name} => Shop",
        "plain text => plain text",
        "'' => ''",
        "#{ Name } => Shop",
        "[#{Name}][#{Name}] => [Shop][Shop]",
        "#{Sepia.Environment.Name} => Production",
        "#{snake_case-name.v2} => ok",
        "a # b { c } #x{ => a # b { c } #x{",
        // names are case-insensitive
        "#{name} #{NAME} #{nAmE} => Shop Shop Shop",
        "#{sepia.environment.name} => Production",
        // nested: values refer to other variables
        "#{Greeting} => Hello Shop",
        "#{Url} => https://shop.example:8443/shop",
        "#{Level1} => end?!",
        // escape
        "##{Name} => #{Name}",
        "###{Name} => ##{Name}",
        "##{Undefined} => #{Undefined}",
        "#{Escaped} => #{Name} is Shop",
      })
  void referencesAreReplacedByTheirValues(String template, String expected) throws Exception {
    assertThat(evaluate(template)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "#{Mixed | ToLower} => mixed case",
        "#{Mixed | ToUpper} => MIXED CASE",
        "#{Mixed|toupper} => MIXED CASE",
        "#{Name | Base64} => U2hvcA==",
        "#{Name | ToLower | Base64} => c2hvcA==",
        "#{Name | Base64 | ToLower} => u2hvca==",
        "#{Mixed | ToUpper | ToLower} => mixed case",
        "#{Greeting | ToUpper} => HELLO SHOP",
        "#{Empty | Base64} => ''",
      })
  void filtersTransformTheValueInOrder(String template, String expected) throws Exception {
    assertThat(evaluate(template)).isEqualTo(expected);
  }

  @Test
  void base64EncodesUtf8() throws Exception {
    VariableDictionary variables = VariableDictionary.of(Map.of("Word", "Grüße ✓"), Map.of());
    assertThat(variables.evaluate("#{Word | Base64}").text())
        .isEqualTo(
            java.util.Base64.getEncoder()
                .encodeToString("Grüße ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void jsonEscapeMakesAValueSafeInsideAJsonString() throws Exception {
    assertThat(evaluate("{\"q\": \"#{Quote | JsonEscape}\"}"))
        .isEqualTo("{\"q\": \"say \\\"hi\\\"\\\\\\n\\tnow\"}");
    VariableDictionary control = VariableDictionary.of(Map.of("Bell", "a\u0007b"), Map.of());
    assertThat(control.evaluate("#{Bell | JsonEscape}").text()).isEqualTo("a\\u0007b");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "#{Name | Rot13} => Unknown filter 'Rot13'",
        "#{Name | ToLower | Nope} => Unknown filter 'Nope'",
        "#{Name | } => An empty filter",
        "#{Name || ToLower} => An empty filter",
      })
  void anUnknownFilterIsNamedWithTheKnownOnes(String template, String problem) {
    assertThatThrownBy(() -> evaluate(template))
        .isInstanceOf(SubstitutionException.class)
        .hasMessageContaining(problem)
        .hasMessageContaining("line 1, column 1 of the template")
        .hasMessageContaining("Known filters: Base64, JsonEscape, ToLower, ToUpper");
  }

  @Test
  void anUnknownFilterIsReportedEvenInABranchNotTaken() {
    assertThatThrownBy(() -> evaluate("#{if No}#{Name | Shout}#{/if}"))
        .hasMessageContaining("Unknown filter 'Shout'");
  }

  static Stream<Arguments> blocks() {
    return Stream.of(
        // if / else, with each kind of false value
        Arguments.of("#{if Yes}on#{/if}", "on"),
        Arguments.of("#{if One}on#{/if}", "on"),
        Arguments.of("#{if Name}on#{/if}", "on"),
        Arguments.of("#{if No}on#{/if}", ""),
        Arguments.of("#{if FalseCap}on#{/if}", ""),
        Arguments.of("#{if Zero}on#{/if}", ""),
        Arguments.of("#{if NoWord}on#{/if}", ""),
        Arguments.of("#{if Empty}on#{/if}", ""),
        Arguments.of("#{if Undefined}on#{/if}", ""),
        Arguments.of("#{if Yes}on#{else}off#{/if}", "on"),
        Arguments.of("#{if No}on#{else}off#{/if}", "off"),
        Arguments.of("#{if Undefined}on#{else}off#{/if}", "off"),
        Arguments.of("#{if yes}on#{/if}", "on"),
        Arguments.of("#{ if Yes }on#{ else }off#{ /if }", "on"),
        Arguments.of("#{if WebTier}#{WebTier}#{/if}", "web"),
        // unless
        Arguments.of("#{unless No}run#{/unless}", "run"),
        Arguments.of("#{unless Undefined}run#{/unless}", "run"),
        Arguments.of("#{unless Yes}run#{/unless}", ""),
        Arguments.of("#{unless Yes}run#{else}skip#{/unless}", "skip"),
        // each
        Arguments.of("#{each s in Servers}[#{s}]#{/each}", "[web1][web2][web3]"),
        Arguments.of("#{each s in Servers}#{s | ToUpper};#{/each}", "WEB1;WEB2;WEB3;"),
        Arguments.of("#{each s in Undefined}[#{s}]#{/each}", ""),
        Arguments.of("#{each s in Empty}[#{s}]#{/each}", ""),
        Arguments.of("#{each S in servers}#{s}#{/each}", "web1web2web3"),
        Arguments.of("#{each Name in Ports}#{Name} #{/each}#{Name}", "80 443 Shop"),
        // nesting
        Arguments.of(
            "#{each s in Servers}#{each p in Ports}#{s}:#{p} #{/each}#{/each}",
            "web1:80 web1:443 web2:80 web2:443 web3:80 web3:443 "),
        Arguments.of(
            "#{if Yes}#{unless No}#{each p in Ports}<#{p}>#{/each}#{/unless}#{/if}", "<80><443>"),
        Arguments.of("#{if Yes}a#{if No}b#{else}c#{/if}d#{else}e#{/if}", "acd"),
        Arguments.of("#{if No}a#{if Yes}b#{/if}#{else}c#{if Yes}d#{/if}#{/if}", "cd"),
        Arguments.of("#{each s in Servers}#{if s}#{s}#{/if}#{/each}", "web1web2web3"),
        Arguments.of("line1\n#{if Yes}\nmiddle\n#{/if}\nline3", "line1\n\nmiddle\n\nline3"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("blocks")
  void blocksChooseAndRepeatText(String template, String expected) throws Exception {
    assertThat(evaluate(template)).isEqualTo(expected);
  }

  @Test
  void aMissingVariableIsNamedWithWhereItIsUsed() {
    assertThatThrownBy(() -> evaluate("echo 1\necho #{Missing}"))
        .isInstanceOfSatisfying(
            SubstitutionException.class,
            e -> assertThat(e.undefinedNames()).containsExactly("Missing"))
        .hasMessageStartingWith(
            "The variable 'Missing' is not defined (used at line 2, column 6 of the template).");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "#{A} #{B} #{C} => A;B;C",
        "#{A} #{a} #{B} #{A} => A;B",
        "#{Name} #{A | ToUpper} #{Name} #{B} => A;B",
        "#{if Yes}#{A}#{else}#{NotUsed}#{/if} #{B} => A;B",
        "#{each s in Servers}#{s}#{Per}#{/each} => Per",
        "#{UsesMissing} #{Z} => Deep;Z",
      })
  void everyMissingVariableIsListedInOneException(String template, String names) {
    VariableDictionary variables = VARIABLES.with(Map.of("UsesMissing", "x#{Deep}"), Map.of());
    List<String> expected = List.of(names.split(";"));
    assertThatThrownBy(() -> variables.evaluate(template))
        .isInstanceOfSatisfying(
            SubstitutionException.class,
            e -> {
              assertThat(e.undefinedNames()).containsExactlyElementsOf(expected);
              expected.forEach(name -> assertThat(e.getMessage()).contains("'" + name + "'"));
            });
  }

  @Test
  void aMissingVariableInsideAnotherVariablesValueSaysWhere() {
    VariableDictionary variables = VariableDictionary.of(Map.of("Conn", "db=#{DbHost}"), Map.of());
    assertThatThrownBy(() -> variables.evaluate("#{Conn}"))
        .hasMessageContaining("'DbHost'")
        .hasMessageContaining("line 1, column 4 of the value of variable 'Conn'");
  }

  @Test
  void getEvaluatesOneVariable() throws Exception {
    assertThat(VARIABLES.get("url").text()).isEqualTo("https://shop.example:8443/shop");
    assertThatThrownBy(() -> VARIABLES.get("Nope"))
        .isInstanceOfSatisfying(
            SubstitutionException.class,
            e -> assertThat(e.undefinedNames()).containsExactly("Nope"))
        .hasMessageContaining("The variable 'Nope' is not defined");
  }

  static Stream<Arguments> loops() {
    return Stream.of(
        Arguments.of(Map.of("A", "x#{A}"), "#{A}", "A → A"),
        Arguments.of(Map.of("A", "#{a | ToUpper}"), "#{A}", "A → A"),
        Arguments.of(Map.of("Ping", "#{Pong}", "Pong", "#{Ping}"), "#{Ping}", "Ping → Pong → Ping"),
        Arguments.of(Map.of("Ping", "#{Pong}", "Pong", "#{Ping}"), "#{Pong}", "Pong → Ping → Pong"),
        Arguments.of(Map.of("A", "#{B}", "B", "#{C}", "C", "#{a}"), "#{A}", "A → B → C → A"),
        Arguments.of(Map.of("Start", "#{A}", "A", "#{B}", "B", "#{A}"), "go #{Start}", "A → B → A"),
        Arguments.of(Map.of("A", "#{if B}x#{/if}", "B", "#{A}"), "#{A}", "A → B → A"),
        Arguments.of(Map.of("A", "#{each i in B}#{i}#{/each}", "B", "#{A}"), "#{A}", "A → B → A"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("loops")
  void variablesThatReferToEachOtherInALoopAreReported(
      Map<String, String> values, String template, String chain) {
    VariableDictionary variables = VariableDictionary.of(values, Map.of());
    assertThatThrownBy(() -> variables.evaluate(template))
        .isInstanceOf(SubstitutionException.class)
        .hasMessage(
            "Variables refer to each other in a loop: "
                + chain
                + ". Change one of them so the chain ends in a value.");
  }

  @Test
  void aVeryLongChainOfReferencesStopsAtTheDepthLimit() {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      values.put("V" + i, "#{V" + (i + 1) + "}");
    }
    values.put("V100", "end");
    VariableDictionary variables = VariableDictionary.of(values, Map.of());
    assertThatThrownBy(() -> variables.evaluate("#{V0}"))
        .hasMessageContaining("more than " + Evaluator.MAX_DEPTH + " levels deep")
        .hasMessageContaining("V0 → V1 → V2");
    assertThat(catching(() -> variables.evaluate("#{V80}"))).isNull();
  }

  @Test
  void valuesThatDoubleEachOtherAreEvaluatedOnceAndRefusedWhenTooLong() {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      values.put("D" + i, "#{D" + (i + 1) + "}#{D" + (i + 1) + "}");
    }
    values.put("D30", "x");
    VariableDictionary variables = VariableDictionary.of(values, Map.of());
    assertThatThrownBy(() -> variables.evaluate("#{D0}"))
        .hasMessageContaining("longer than " + Evaluator.MAX_LENGTH + " characters");
    assertThat(catching(() -> assertThat(variables.evaluate("#{D20}").text()).hasSize(1 << 10)))
        .isNull();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "#{if Yes}open",
            "'#{if Yes}' opened at line 1, column 1 of the template is never closed. Add '#{/if}'."),
        Arguments.of(
            "a\n  #{each s in Servers}#{s}",
            "'#{each s in Servers}' opened at line 2, column 3 of the template is never closed. Add '#{/each}'."),
        Arguments.of(
            "#{if Yes}#{each s in Servers}#{/if}#{/each}",
            "'#{/if}' at line 1, column 30 of the template does not match '#{each s in Servers}' opened at line 1, column 10 of the template, which must be closed first with '#{/each}'."),
        Arguments.of(
            "#{unless No}x#{/if}", "does not match '#{unless No}' opened at line 1, column 1"),
        Arguments.of(
            "text#{/if}", "'#{/if}' at line 1, column 5 of the template closes no open block."),
        Arguments.of(
            "#{else}", "'#{else}' at line 1, column 1 of the template does not belong here"),
        Arguments.of("#{each s in Servers}#{else}#{/each}", "a loop has no '#{else}'"),
        Arguments.of("#{if Yes}a#{else}b#{else}c#{/if}", "already has an '#{else}'"),
        Arguments.of("#{/fi}", "is not a closing tag"),
        Arguments.of("#{if}x#{/if}", "is not a valid condition. Write it as '#{if VariableName}'"),
        Arguments.of("#{if A B}x#{/if}", "is not a valid condition"),
        Arguments.of(
            "#{each s Servers}#{/each}",
            "is not a valid loop. Write it as '#{each item in ListVariable}'"),
        Arguments.of(
            "echo #{Name", "'#{' at line 1, column 6 of the template is never closed with '}'"),
        Arguments.of(
            "#{}", "'#{}' at line 1, column 1 of the template is not a variable reference"),
        Arguments.of(
            "#{two words}",
            "'#{two words}' at line 1, column 1 of the template is not a variable reference"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedTemplatesSayWhatAndWhere(String template, String message) {
    assertThatThrownBy(() -> evaluate(template))
        .isInstanceOf(SubstitutionException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aLongMalformedConstructIsQuotedShortenedOnOneLine() {
    String template = "echo #{ not a name\n" + "x".repeat(500) + "}";
    assertThatThrownBy(() -> evaluate(template))
        .hasMessageStartingWith("'#{not a name\\nxxx")
        .hasMessageContaining("...}' at line 1, column 6 of the template")
        .hasMessageNotContaining("x".repeat(100))
        .hasMessageNotContaining("\n");
  }

  @Test
  void blocksNestedDeeperThanTheLimitAreRefusedWithoutOverflowingTheStack() {
    String deep = "#{if Yes}".repeat(10_000) + "x" + "#{/if}".repeat(10_000);
    assertThatThrownBy(() -> evaluate(deep))
        .hasMessageContaining("Blocks nest more than " + TemplateParser.MAX_BLOCK_DEPTH + " deep");
    String allowed =
        "#{if Yes}".repeat(TemplateParser.MAX_BLOCK_DEPTH)
            + "x"
            + "#{/if}".repeat(TemplateParser.MAX_BLOCK_DEPTH);
    assertThat(catching(() -> assertThat(evaluate(allowed)).isEqualTo("x"))).isNull();
  }

  @Test
  void escapedOutputIsNotEvaluatedAgain() throws Exception {
    VariableDictionary variables =
        VariableDictionary.of(Map.of("Literal", "##{Secret}", "Outer", "#{Literal}"), Map.of());
    assertThat(variables.evaluate("#{Outer}").text()).isEqualTo("#{Secret}");
  }

  private interface Action {
    void run() throws Exception;
  }

  private static Throwable catching(Action action) {
    try {
      action.run();
      return null;
    } catch (Exception | AssertionError e) {
      return e;
    }
  }
}
