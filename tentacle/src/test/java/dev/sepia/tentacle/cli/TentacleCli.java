package dev.sepia.tentacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs sepia-tentacle in-process, exactly as {@code main} would ({@link TentacleMain#execute}),
 * with {@code SEPIA_MACHINE_DIR} pointing at a folder of its own (a different folder is another
 * machine), and captures what it prints.
 */
final class TentacleCli {
  private static final Object STREAMS = new Object();

  final Path machineDir;
  final Map<String, String> env = new HashMap<>();

  TentacleCli(Path machineDir) {
    this.machineDir = machineDir;
    env.put("SEPIA_MACHINE_DIR", machineDir.toString());
    env.put("SEPIA_SERVICE_MANAGER", "process");
    String path = System.getenv("PATH");
    if (path != null) {
      env.put("PATH", path);
    }
  }

  record Result(int exitCode, String out, String err) {
    /** Both streams, for messages that may go to either. */
    String all() {
      return out + err;
    }
  }

  Result run(String... args) {
    synchronized (STREAMS) {
      PrintStream oldOut = System.out;
      PrintStream oldErr = System.err;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = TentacleMain.execute(env, args);
        System.out.flush();
        System.err.flush();
        return new Result(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      } finally {
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }
  }

  /** Runs and expects exit code 0, returning stdout. */
  String ok(String... args) {
    Result r = run(args);
    assertThat(r.exitCode())
        .as("exit code of %s; stderr: %s", String.join(" ", args), r.err())
        .isZero();
    return r.out();
  }

  /** Creates an instance whose config and home are under {@code dir}; returns the config file. */
  Path createInstance(String name, Path dir) {
    Path config = dir.resolve(name + ".config.json");
    ok(
        "create-instance",
        "--instance",
        name,
        "--config",
        config.toString(),
        "--home",
        dir.resolve(name + "-home").toString());
    return config;
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
