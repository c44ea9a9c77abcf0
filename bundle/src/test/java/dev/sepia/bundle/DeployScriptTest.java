package dev.sepia.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy.sh on a machine without a suitable Java: it must say what is missing instead of failing
 * somewhere inside Java. Runs with a PATH that holds only the few tools the script uses (and a fake
 * java where one is wanted), so the machine's own Java cannot be found.
 */
class DeployScriptTest {

  private static final Path BASH = real("bash");

  @TempDir Path bundle;
  @TempDir Path bin;

  @BeforeEach
  void script() throws IOException {
    try (InputStream in = BundleWriter.class.getResourceAsStream("deploy.sh")) {
      Files.write(bundle.resolve("deploy.sh"), in.readAllBytes());
    }
    // Small wrappers rather than links, so the temporary folder holds only files of its own.
    for (String tool : List.of("sed", "head", "dirname")) {
      Path wrapper = bin.resolve(tool);
      Files.writeString(wrapper, "#!" + BASH + "\nexec " + real(tool) + " \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static Path real(String tool) {
    Path usrBin = Path.of("/usr/bin", tool);
    return Files.exists(usrBin) ? usrBin : Path.of("/bin", tool);
  }

  @Test
  void noJava_saysJava21IsNeededAndExitsWith2() throws Exception {
    Run run = deploy();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output())
        .contains(
            "This bundle needs Java 21 or later, and no 'java' was found on PATH or in JAVA_HOME.");
  }

  @Test
  void oldJava_isNamedWithItsVersionAndRefused() throws Exception {
    fakeJava("1.8");

    Run run = deploy();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output())
        .contains(
            "This bundle needs Java 21 or later, but " + bin.resolve("java") + " is Java 1.8.");
  }

  @Test
  void java21_isStartedWithTheRunnerAndTheBundleFolder() throws Exception {
    fakeJava("21");

    Run run = deploy();

    assertThat(run.exitCode()).isZero();
    assertThat(run.output())
        .contains(
            "args: -cp "
                + bundle.toRealPath()
                + "/lib/* dev.sepia.bundle.BundleRunner "
                + bundle.toRealPath()
                + " --help");
  }

  private void fakeJava(String specificationVersion) throws IOException {
    Path java = bin.resolve("java");
    Files.writeString(
        java,
        "#!"
            + BASH
            + "\n"
            + "if [ \"$1\" = \"-XshowSettings:properties\" ]; then\n"
            + "  echo 'Property settings:' >&2\n"
            + "  echo '    java.specification.version = "
            + specificationVersion
            + "' >&2\n"
            + "  exit 0\n"
            + "fi\n"
            + "echo \"args: $*\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private record Run(int exitCode, String output) {}

  private Run deploy() throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(BASH.toString(), bundle.resolve("deploy.sh").toString(), "--help")
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().remove("JAVA_HOME");
    builder.environment().put("PATH", bin.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }
}
