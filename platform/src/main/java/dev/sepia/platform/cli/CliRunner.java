package dev.sepia.platform.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * Runs a picocli command the way every Sepia program does: exit 0 ok, 1 failed, 2 bad usage;
 * failures print {@code Error: ...} to stderr without a stack trace unless {@code SEPIA_DEBUG} is
 * set, so an operator sees the explanation and not the plumbing.
 */
public final class CliRunner {

  static final String DEBUG_HINT = "Run with SEPIA_DEBUG=1 for details.";

  private CliRunner() {}

  /** Runs {@code cmd}; reads {@code SEPIA_DEBUG} from this process's environment. */
  public static int execute(CommandLine cmd, String[] args) {
    return execute(cmd, args, System.getenv());
  }

  /** Runs {@code cmd}; {@code env} is consulted for {@code SEPIA_DEBUG} only. */
  public static int execute(CommandLine cmd, String[] args, Map<String, String> env) {
    boolean debug = debugEnabled(env);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = cmd.getErr();
          if (ex instanceof OperatorException operatorException) {
            err.println("Error: " + ex.getMessage());
            if (debug) {
              ex.printStackTrace(err);
            }
            err.flush();
            return operatorException.exitCode();
          }
          err.println("Error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
          if (debug) {
            ex.printStackTrace(err);
          } else {
            err.println(DEBUG_HINT);
          }
          err.flush();
          return 1;
        });
    cmd.setParameterExceptionHandler(
        (ex, arguments) -> {
          CommandLine failed = ex.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println("Error: " + ex.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
          failed.usage(err, failed.getColorScheme());
          err.flush();
          return 2;
        });
    return cmd.execute(args);
  }

  private static boolean debugEnabled(Map<String, String> env) {
    String value = env.get("SEPIA_DEBUG");
    return value != null && !Set.of("", "0", "false", "no").contains(value.trim().toLowerCase());
  }
}
