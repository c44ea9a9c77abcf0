package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldLocationTest {

  @Test
  void associatedData_isVersionTableColumnAndRow_separatedByNul() {
    FieldLocation where = new FieldLocation("Variable", "Sensitive_Value", "Variables-17");

    assertThat(new String(where.associatedData(), StandardCharsets.UTF_8))
        .isEqualTo("sepia-field-v1\0variable\0sensitive_value\0Variables-17");
  }

  @Test
  void rowId_isCaseSensitive() {
    assertThat(new FieldLocation("t", "c", "Row-1").associatedData())
        .isNotEqualTo(new FieldLocation("t", "c", "row-1").associatedData());
  }

  @Test
  void toString_readsLikeAColumnReference() {
    assertThat(new FieldLocation("variable", "sensitive_value", "Variables-17"))
        .hasToString("variable.sensitive_value[Variables-17]");
  }

  @Test
  void blankPart_isRefusedByName() {
    assertThatThrownBy(() -> new FieldLocation("", "c", "r")).hasMessageContaining("table");
    assertThatThrownBy(() -> new FieldLocation("t", " ", "r")).hasMessageContaining("column");
    assertThatThrownBy(() -> new FieldLocation("t", "c", "\t")).hasMessageContaining("rowId");
  }

  @Test
  void nulInsideAPart_isRefused_soLocationsCannotBeForgedBySplitting() {
    assertThatThrownBy(() -> new FieldLocation("t", "c\0x", "r"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  @Test
  void nullPart_isRefused() {
    assertThatThrownBy(() -> new FieldLocation("t", "c", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
