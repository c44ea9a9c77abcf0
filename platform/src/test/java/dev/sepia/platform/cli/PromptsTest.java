package dev.sepia.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptsTest {

  /** Answers prompts from a script and records what was shown. */
  private static final class ScriptedTerminal implements Prompts.Terminal {
    final Deque<String> answers;
    final List<String> shown = new ArrayList<>();

    ScriptedTerminal(String... answers) {
      this.answers = new ArrayDeque<>(Arrays.asList(answers));
    }

    @Override
    public char[] readPassword(String prompt) {
      shown.add(prompt);
      String answer = answers.poll();
      return answer == null ? null : answer.toCharArray();
    }

    @Override
    public String readLine(String prompt) {
      shown.add(prompt);
      return answers.poll();
    }

    @Override
    public void println(String line) {
      shown.add(line);
    }
  }

  @Test
  void withoutATerminal_promptsFailAtOnce_sayingHowToPassTheValue() {
    // Test runs have no terminal: standard input is not a console.
    assertThatThrownBy(
            () ->
                Prompts.readSecret(
                    "Master key", true, "Pass the key with --masterKey-file FILE instead."))
        .isInstanceOf(OperatorException.class)
        .hasMessage("No terminal to prompt on. Pass the key with --masterKey-file FILE instead.");
    assertThatThrownBy(
            () -> Prompts.confirm("Clear every secret?", "Pass --yes to confirm without a prompt."))
        .isInstanceOf(OperatorException.class)
        .hasMessage("No terminal to prompt on. Pass --yes to confirm without a prompt.");
  }

  @Test
  void confirmedSecret_isAskedTwice() {
    ScriptedTerminal terminal = new ScriptedTerminal("s3cret", "s3cret");

    char[] secret = Prompts.readSecret(terminal, "Master key", true);

    assertThat(new String(secret)).isEqualTo("s3cret");
    assertThat(terminal.shown).containsExactly("Master key: ", "Master key (again): ");
  }

  @Test
  void entriesThatDoNotMatch_areAskedAgain() {
    ScriptedTerminal terminal = new ScriptedTerminal("one", "two", "three", "three");

    assertThat(new String(Prompts.readSecret(terminal, "Password", true))).isEqualTo("three");
    assertThat(terminal.shown).contains("The two entries did not match.");
  }

  @Test
  void emptySecret_isAskedAgain_andUnconfirmedSecretIsAskedOnce() {
    ScriptedTerminal terminal = new ScriptedTerminal("", "value");

    assertThat(new String(Prompts.readSecret(terminal, "Password", false))).isEqualTo("value");
    assertThat(terminal.shown)
        .containsExactly("Password: ", "The value cannot be empty.", "Password: ");
  }

  @Test
  void threeFailedAttempts_giveUpChangingNothing() {
    ScriptedTerminal terminal = new ScriptedTerminal("a", "b", "c", "d", "e", "f");

    assertThatThrownBy(() -> Prompts.readSecret(terminal, "Password", true))
        .isInstanceOf(OperatorException.class)
        .hasMessage("No value was accepted after 3 attempts. Nothing was changed.");
  }

  @Test
  void endOfInput_stopsThePrompt() {
    assertThatThrownBy(() -> Prompts.readSecret(new ScriptedTerminal(), "Password", false))
        .isInstanceOf(OperatorException.class)
        .hasMessage("No value was entered (the input ended). Nothing was changed.");
  }

  @Test
  void confirmation_isYesOnlyWhenSaidSo() {
    assertThat(Prompts.confirm(new ScriptedTerminal("y"), "Go?")).isTrue();
    assertThat(Prompts.confirm(new ScriptedTerminal(" YES "), "Go?")).isTrue();
    assertThat(Prompts.confirm(new ScriptedTerminal(""), "Go?")).isFalse();
    assertThat(Prompts.confirm(new ScriptedTerminal("n"), "Go?")).isFalse();
    assertThat(Prompts.confirm(new ScriptedTerminal(), "Go?")).isFalse();
    ScriptedTerminal terminal = new ScriptedTerminal("y");
    Prompts.confirm(terminal, "Clear 3 secrets?");
    assertThat(terminal.shown).containsExactly("Clear 3 secrets? [y/N] ");
  }
}
