package dev.sepia.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @Test
  void writtenValues_readBackEqual() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("formatVersion", 1L);
    value.put(
        "text", "quote \" backslash \\ newline \n tab \t bell \u0007 line-sep \u2028 é 世界 🔑");
    value.put("empty", "");
    value.put("list", List.of("a", 2L, true, false, List.of(), Map.of()));
    value.put("nothing", null);
    value.put("negative", -42L);
    value.put("nested", Map.of("inner", List.of(Map.of("k", "v"))));

    String json = Json.write(value);

    assertThat(Json.read(json)).isEqualTo(value);
    assertThat(json).doesNotContain("\u0007").doesNotContain("\u2028");
  }

  @Test
  void objectKeys_keepTheirOrder() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("zebra", "1");
    value.put("apple", "2");
    value.put("mango", "3");

    @SuppressWarnings("unchecked")
    Map<String, Object> read = (Map<String, Object>) Json.read(Json.write(value));

    assertThat(read.keySet()).containsExactly("zebra", "apple", "mango");
  }

  @Test
  void writtenJson_isIndentedForPeopleToRead() {
    assertThat(Json.write(Map.of("a", List.of("b"))))
        .isEqualTo("{\n  \"a\": [\n    \"b\"\n  ]\n}\n");
  }

  @Test
  void escapesFromOtherWriters_areUnderstood() {
    assertThat(Json.read("\"\\u00e9\\/\\b\\f\\ud83d\\udd11\"")).isEqualTo("é/\b\f🔑");
    assertThat(Json.read(" { \"a\" : [ 1 , -0 , null ] } "))
        .isEqualTo(Map.of("a", Arrays.asList(1L, 0L, null)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "\"unterminated",
        "\"bad \\x escape\"",
        "\"raw \n newline\"",
        "01",
        "1.5",
        "1e3",
        "99999999999999999999",
        "tru",
        "{} {}",
        "{\"a\":1,\"a\":2}",
        "\"\\u12\""
      })
  void malformedJson_isRefusedWithAPosition(String text) {
    assertThatThrownBy(() -> Json.read(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not valid JSON at line 1, column ");
  }

  @Test
  void deepNesting_isRefusedInsteadOfOverflowingTheStack() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);

    assertThatThrownBy(() -> Json.read(deep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("levels of nesting");
  }

  @Test
  void errorPosition_countsLines() {
    assertThatThrownBy(() -> Json.read("{\n  \"a\": 1,\n  oops\n}"))
        .hasMessage("Not valid JSON at line 3, column 3: expected a quoted key");
  }
}
