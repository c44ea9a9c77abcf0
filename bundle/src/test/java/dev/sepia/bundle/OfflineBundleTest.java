package dev.sepia.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes real bundles and runs their {@code deploy.sh} as a process, with the JDK running these
 * tests first on PATH, as an operator would on a machine without a Tentacle.
 */
class OfflineBundleTest {

  private static final String PASSWORD = "drop-password-Ω-1";
  private static final String DB_PASSWORD = "s3cr3t-Pa55w0rd";
  private static final String API_TOKEN = "tok-8a7d1e55";
  private static final String DB_PASSWORD_BASE64 =
      Base64.getEncoder().encodeToString(DB_PASSWORD.getBytes(StandardCharsets.UTF_8));

  @TempDir Path drop;
  @TempDir Path work;
  private Path proof;
  private Path secondMarker;

  @BeforeEach
  void paths() {
    proof = work.resolve("proof.txt");
    secondMarker = work.resolve("second-step-ran");
  }

  @Test
  void rightPassword_runsEveryStepWithValuesSubstitutedAndSecretsMasked() throws Exception {
    Path bundle = BundleWriter.write(drop, content(), Secret.of(PASSWORD));

    Run run = deploy(bundle, PASSWORD + "\n", Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(Files.readAllLines(proof))
        .containsExactly("Shop", DB_PASSWORD, "8080", API_TOKEN, DB_PASSWORD_BASE64);
    assertThat(secondMarker).exists();
    assertThat(run.output())
        .contains("==> Step 1 of 2: Write config", "==> Step 2 of 2: Check")
        .contains("App is Shop on port 8080")
        .contains("Password is ********")
        .contains("Token is ********")
        .contains("Encoded is ********")
        .contains("Deployed Shop release 1.2.3 to Production: 2 steps succeeded.")
        .doesNotContain(DB_PASSWORD)
        .doesNotContain(API_TOKEN)
        .doesNotContain(DB_PASSWORD_BASE64)
        .doesNotContain(PASSWORD);
  }

  @Test
  void wrongPassword_exitsWith3AndRunsNothing() throws Exception {
    Path bundle = BundleWriter.write(drop, content(), Secret.of(PASSWORD));

    Run run = deploy(bundle, "not-the-password\n", Map.of());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
    assertThat(run.output())
        .contains(
            "The password does not open this bundle's sensitive values (sensitive.sealed). Ask"
                + " for the target's bundle password.")
        .doesNotContain("==> Step");
    assertThat(proof).doesNotExist();
    assertThat(secondMarker).doesNotExist();
  }

  @Test
  void noPassword_failsAndRunsNothing() throws Exception {
    Path bundle = BundleWriter.write(drop, content(), Secret.of(PASSWORD));

    Run run = deploy(bundle, "", Map.of());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
    assertThat(run.output()).contains("No password was given").doesNotContain("==> Step");
    assertThat(proof).doesNotExist();
  }

  @Test
  void passwordFromTheEnvironment_opensTheBundleAndIsHiddenFromSteps() throws Exception {
    BundleStep leak =
        new BundleStep(
            "Look for the password",
            "echo \"variable: ${SEPIA_BUNDLE_PASSWORD:-unset}\"\necho \"dir: $SEPIA_BUNDLE_DIR\"",
            Map.of(),
            Map.of());
    Path bundle = BundleWriter.write(drop, content(List.of(leak)), Secret.of(PASSWORD));

    Run run = deploy(bundle, "", Map.of(PasswordPrompt.ENVIRONMENT_VARIABLE, PASSWORD));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("variable: unset").contains("dir: " + bundle);
  }

  @Test
  void wrongPasswordInTheEnvironment_exitsWith3() throws Exception {
    Path bundle = BundleWriter.write(drop, content(), Secret.of(PASSWORD));

    Run run = deploy(bundle, PASSWORD + "\n", Map.of(PasswordPrompt.ENVIRONMENT_VARIABLE, "nope"));

    assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
    assertThat(proof).doesNotExist();
  }

  @Test
  void failingStep_exitsWith1AndLaterStepsDoNotRun() throws Exception {
    BundleStep fails =
        new BundleStep(
            "Migrate database", "echo \"using #{DbPassword}\"\nexit 7", Map.of(), Map.of());
    Path bundle =
        BundleWriter.write(drop, content(List.of(fails, checkStep())), Secret.of(PASSWORD));

    Run run = deploy(bundle, PASSWORD + "\n", Map.of());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains("using ********")
        .contains("Step 'Migrate database' failed with exit code 7")
        .doesNotContain("==> Step 2 of 2")
        .doesNotContain(DB_PASSWORD);
    assertThat(secondMarker).doesNotExist();
  }

  @Test
  void scriptReferringToAnUndefinedVariable_exitsWith4AndIsNotRun() throws Exception {
    BundleStep broken =
        new BundleStep(
            "Broken", "touch \"#{ProofFile}\"\necho \"#{NoSuchVariable}\"", Map.of(), Map.of());
    Path bundle =
        BundleWriter.write(drop, content(List.of(broken, checkStep())), Secret.of(PASSWORD));

    Run run = deploy(bundle, PASSWORD + "\n", Map.of());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(4);
    assertThat(run.output()).contains("Step 'Broken' was not run").contains("NoSuchVariable");
    assertThat(proof).doesNotExist();
    assertThat(secondMarker).doesNotExist();
  }

  @Test
  void onlySensitiveSealed_holdsTheSecrets() throws Exception {
    Path bundle = BundleWriter.write(drop, content(), Secret.of(PASSWORD));

    List<Path> files;
    try (Stream<Path> walk = Files.walk(bundle)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).hasSizeGreaterThan(5);
    for (Path file : files) {
      String bytes = HexFormat.of().formatHex(Files.readAllBytes(file));
      for (String secret : List.of(DB_PASSWORD, API_TOKEN, PASSWORD)) {
        assertThat(bytes)
            .as("%s holds %s", bundle.relativize(file), secret)
            .doesNotContain(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  void bundleFolder_hasTheDocumentedLayout() throws Exception {
    Path bundle = BundleWriter.write(drop, content(), Secret.of(PASSWORD));

    assertThat(bundle.getParent()).isEqualTo(drop);
    assertThat(bundle.getFileName()).hasToString("Shop-1.2.3-Production");
    try (Stream<Path> list = Files.list(bundle)) {
      assertThat(list.map(path -> path.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "deploy.sh", "README.txt", "bundle.json", "sensitive.sealed", "lib");
    }
    assertThat(Files.getPosixFilePermissions(bundle.resolve("deploy.sh")))
        .contains(PosixFilePermission.OWNER_EXECUTE);
    try (Stream<Path> list = Files.list(bundle.resolve("lib"))) {
      assertThat(list.map(path -> path.getFileName().toString()))
          .anyMatch(name -> name.startsWith("sepia-bundle"))
          .anyMatch(name -> name.startsWith("sepia-variables"))
          .anyMatch(name -> name.startsWith("sepia-crypto"))
          .anyMatch(name -> name.startsWith("bcprov"))
          .allMatch(name -> name.endsWith(".jar"));
    }
    String manifest = Files.readString(bundle.resolve("bundle.json"));
    assertThat(manifest)
        .contains("\"formatVersion\": 1")
        .contains("\"deploymentId\": \"Deployments-42\"")
        .contains("\"sensitiveVariableNames\": [\n    \"DbPassword\"\n  ]");
    assertThat(Files.readString(bundle.resolve("README.txt")))
        .contains("Project:      Shop")
        .contains("1. Write config")
        .contains("SEPIA_BUNDLE_PASSWORD");
    assertThat(
            new String(
                Files.readAllBytes(bundle.resolve("sensitive.sealed")),
                StandardCharsets.ISO_8859_1))
        .startsWith("sepia-passphrase-box/1 argon2id m=65536 t=3 p=1 salt=");
  }

  @Test
  void secondBundleOfTheSameRelease_getsItsOwnFolder() throws Exception {
    Path first = BundleWriter.write(drop, content(), Secret.of(PASSWORD));
    Path second = BundleWriter.write(drop, content(), Secret.of(PASSWORD));

    assertThat(second).isNotEqualTo(first);
    assertThat(second.getFileName()).hasToString("Shop-1.2.3-Production-2");
    assertThat(first.resolve("bundle.json")).exists();
  }

  @Test
  void sealedFileFromAnotherBundle_isRefusedAndNothingRuns() throws Exception {
    Path bundle = BundleWriter.write(drop, content(), Secret.of(PASSWORD));
    BundleContent other = content();
    other =
        new BundleContent(
            other.projectName(),
            other.releaseNumber(),
            other.environmentName(),
            other.targetName(),
            "Deployments-43",
            other.steps(),
            other.variables(),
            other.sensitiveVariables());
    Path otherBundle = BundleWriter.write(drop, other, Secret.of(PASSWORD));
    Files.copy(
        otherBundle.resolve("sensitive.sealed"),
        bundle.resolve("sensitive.sealed"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Run run = deploy(bundle, PASSWORD + "\n", Map.of());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("sensitive.sealed belongs to another bundle");
    assertThat(proof).doesNotExist();
  }

  private BundleContent content() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("Port", "8080");
    BundleStep write =
        new BundleStep(
            "Write config",
            String.join(
                "\n",
                "echo \"App is #{AppName} on port #{Parameters.Port}\"",
                "echo \"Password is #{DbPassword}\"",
                "echo \"Token is #{Parameters.ApiToken}\"",
                "echo \"Encoded is #{DbPassword | Base64}\"",
                "printf '%s\\n' '#{AppName}' '#{DbPassword}' '#{Parameters.Port}'"
                    + " '#{Parameters.ApiToken}' '#{DbPassword | Base64}' > '#{ProofFile}'"),
            parameters,
            Map.of("ApiToken", API_TOKEN));
    return content(List.of(write, checkStep()));
  }

  private BundleStep checkStep() {
    return new BundleStep("Check", "echo checking\ntouch '#{SecondMarker}'", Map.of(), Map.of());
  }

  private BundleContent content(List<BundleStep> steps) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("AppName", "Shop");
    variables.put("ProofFile", proof.toString());
    variables.put("SecondMarker", secondMarker.toString());
    return new BundleContent(
        "Shop",
        "1.2.3",
        "Production",
        "Offline drop A",
        "Deployments-42",
        steps,
        variables,
        Map.of("DbPassword", DB_PASSWORD));
  }

  private record Run(int exitCode, String output) {}

  private Run deploy(Path bundle, String stdin, Map<String, String> extraEnvironment)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("bash", bundle.resolve("deploy.sh").toString())
            .directory(work.toFile())
            .redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.remove(PasswordPrompt.ENVIRONMENT_VARIABLE);
    environment.remove("JAVA_HOME");
    Path javaBin = Path.of(System.getProperty("java.home"), "bin");
    environment.put("PATH", javaBin + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
    environment.putAll(extraEnvironment);
    Process process = builder.start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }
}
