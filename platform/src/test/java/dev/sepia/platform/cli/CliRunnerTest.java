package dev.sepia.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliRunnerTest {

  @Command(
      name = "sepia-test",
      subcommands = {Fail.class, Show.class})
  static class Root {}

  @Command(name = "fail", description = "Fails in the way asked.")
  static class Fail implements Callable<Integer> {
    @Option(names = "--how")
    String how = "operator";

    @Override
    public Integer call() {
      switch (how) {
        case "operator" ->
            throw new OperatorException(
                "The database is sealed. Run unseal --masterKey-file FILE first.");
        case "usage" -> throw new OperatorException("--take must be positive.", 2);
        default -> throw new IllegalStateException("the engine stalled");
      }
    }
  }

  @Command(name = "show", description = "Prints in the format asked.")
  static class Show implements Callable<Integer> {
    @Option(names = "--format")
    OutputFormat format = OutputFormat.TEXT;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println("format " + format);
      return 0;
    }
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cmd = new CommandLine(new Root());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return CliRunner.execute(cmd, args, env);
  }

  @Test
  void operatorError_printsOnlyItsMessage_andExitsOne() {
    int exit = run(Map.of(), "fail");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("Error: The database is sealed. Run unseal --masterKey-file FILE first.\n");
  }

  @Test
  void operatorErrorWithItsOwnExitCode_exitsWithIt() {
    assertThat(run(Map.of(), "fail", "--how", "usage")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("Error: --take must be positive.\n");
  }

  @Test
  void unexpectedError_printsItsMessageAndHowToSeeMore_withoutAStackTrace() {
    int exit = run(Map.of(), "fail", "--how", "bug");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("Error: the engine stalled\nRun with SEPIA_DEBUG=1 for details.\n");
  }

  @Test
  void unexpectedError_withSepiaDebug_showsTheStackTrace() {
    run(Map.of("SEPIA_DEBUG", "1"), "fail", "--how", "bug");

    assertThat(err.toString())
        .startsWith(
            "Error: the engine stalled\njava.lang.IllegalStateException: the engine stalled")
        .contains("at dev.sepia.platform.cli.CliRunnerTest$Fail.call")
        .doesNotContain("SEPIA_DEBUG=1 for details");
  }

  @Test
  void unknownOption_printsTheProblemAndThatCommandsUsage_andExitsTwo() {
    int exit = run(Map.of(), "show", "--colour", "red");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("Error: Unknown options: '--colour', 'red'\n")
        .contains("Usage: sepia-test show", "Prints in the format asked.")
        .doesNotContain("Fails in the way asked.");
  }

  @Test
  void badEnumValue_isAUsageError() {
    assertThat(run(Map.of(), "show", "--format", "yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("--format", "yaml");
  }

  @Test
  void formatOption_acceptsAnyCase() {
    assertThat(run(Map.of(), "show", "--format", "json")).isZero();
    assertThat(run(Map.of(), "show", "--format", "Text")).isZero();

    assertThat(out.toString()).isEqualTo("format JSON\nformat TEXT\n");
    assertThat(err.toString()).isEmpty();
  }
}
