package dev.sepia.bundle;

import dev.sepia.crypto.DecryptionFailedException;
import dev.sepia.crypto.PassphraseBox;
import dev.sepia.variables.Evaluated;
import dev.sepia.variables.LogMasker;
import dev.sepia.variables.SubstitutionException;
import dev.sepia.variables.VariableDictionary;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The program {@code deploy.sh} runs: {@code BundleRunner <bundle folder>}. Reads the bundle, asks
 * for its password, then runs each step's script in order with its variables substituted and its
 * output masked. Exit codes: 0 all steps succeeded, 1 a step failed, 2 the bundle cannot be run, 3
 * the password does not open it, 4 a script refers to a variable without a value.
 */
public final class BundleRunner {

  static final int SUCCEEDED = 0;
  static final int STEP_FAILED = 1;
  static final int CANNOT_RUN = 2;
  static final int WRONG_PASSWORD = 3;
  static final int SUBSTITUTION_FAILED = 4;

  static final String WRONG_PASSWORD_MESSAGE =
      "The password does not open this bundle's sensitive values (sensitive.sealed). Ask for the"
          + " target's bundle password.";

  private static final String USAGE = "Usage: deploy.sh   (runs the bundle in this folder)";
  private static final String PARAMETERS = "Parameters.";

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;

  BundleRunner(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.environment = environment;
  }

  public static void main(String[] args) {
    // UTF-8 whatever the locale, so script output and names are not turned into '?'.
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = new BundleRunner(System.in, out, err, System.getenv()).run(List.of(args));
    out.flush();
    err.flush();
    System.exit(code);
  }

  int run(List<String> args) {
    if (args.size() == 2 && (args.get(1).equals("--help") || args.get(1).equals("-h"))) {
      out.println(USAGE);
      out.println("See README.txt in the bundle folder.");
      return SUCCEEDED;
    }
    if (args.size() != 1) {
      err.println(
          "deploy.sh takes no arguments"
              + (args.size() > 1
                  ? " (got: " + String.join(" ", args.subList(1, args.size())) + ")"
                  : "")
              + ".");
      err.println(USAGE);
      return CANNOT_RUN;
    }
    Path folder = Path.of(args.get(0)).toAbsolutePath();

    BundleFormat.Manifest manifest;
    byte[] sealed;
    try {
      manifest = BundleFormat.readManifest(Files.readString(folder.resolve(BundleWriter.MANIFEST)));
      sealed = Files.readAllBytes(folder.resolve(BundleWriter.SEALED));
    } catch (IOException e) {
      err.println(
          "Cannot read the bundle in "
              + folder
              + ": "
              + e
              + ". Copy the whole bundle folder again and run its deploy.sh.");
      return CANNOT_RUN;
    } catch (IllegalArgumentException e) {
      err.println(
          "The bundle's "
              + BundleWriter.MANIFEST
              + " is damaged: "
              + e.getMessage()
              + ". Copy the whole bundle folder again, or write a new bundle.");
      return CANNOT_RUN;
    }
    BundleContent plain = manifest.plain();
    out.println(
        "Sepia offline bundle: "
            + plain.projectName()
            + " release "
            + plain.releaseNumber()
            + " to "
            + plain.environmentName()
            + ", target "
            + plain.targetName()
            + " ("
            + plain.deploymentId()
            + ", written "
            + manifest.created()
            + ")");

    BundleContent content;
    char[] password = null;
    try {
      password = PasswordPrompt.read(environment, in, err);
      if (password == null) {
        err.println(
            "No password was given: standard input was empty and "
                + PasswordPrompt.ENVIRONMENT_VARIABLE
                + " is not set. Nothing was run.");
        err.println(WRONG_PASSWORD_MESSAGE);
        return WRONG_PASSWORD;
      }
      byte[] opened = PassphraseBox.open(password, sealed);
      content =
          BundleFormat.combine(
              plain, BundleFormat.readSensitive(new String(opened, StandardCharsets.UTF_8)));
      Arrays.fill(opened, (byte) 0);
    } catch (DecryptionFailedException e) {
      err.println(WRONG_PASSWORD_MESSAGE + " Nothing was run.");
      return WRONG_PASSWORD;
    } catch (IOException e) {
      err.println("Cannot read the password: " + e.getMessage() + ". Nothing was run.");
      return WRONG_PASSWORD;
    } catch (IllegalArgumentException e) {
      err.println("The bundle cannot be run: " + e.getMessage() + ". Nothing was run.");
      return CANNOT_RUN;
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    return runSteps(folder, content);
  }

  private int runSteps(Path folder, BundleContent content) {
    VariableDictionary variables =
        VariableDictionary.of(content.variables(), content.sensitiveVariables());
    // Every sensitive value of every step, so no step can print another's.
    List<String> secrets = new ArrayList<>(content.sensitiveVariables().values());
    content.steps().forEach(step -> secrets.addAll(step.sensitiveParameters().values()));
    LogMasker masker = new LogMasker(secrets);

    int total = content.steps().size();
    for (int i = 0; i < total; i++) {
      BundleStep step = content.steps().get(i);
      out.println();
      out.println("==> Step " + (i + 1) + " of " + total + ": " + step.name());
      VariableDictionary dictionary =
          variables.with(prefixed(step.parameters()), prefixed(step.sensitiveParameters()));
      masker = masker.with(dictionary.sensitiveValues());
      Evaluated script;
      try {
        script = dictionary.evaluate(step.script());
      } catch (SubstitutionException e) {
        err.println(
            masker.mask(
                "Step '"
                    + step.name()
                    + "' was not run: its script could not be prepared: "
                    + e.getMessage()));
        return SUBSTITUTION_FAILED;
      }
      masker = masker.with(script.derivedSecrets());
      int exitCode;
      try {
        exitCode = StepScript.run(script.text(), folder, masker, out);
      } catch (IOException e) {
        err.println(
            masker.mask("Step '" + step.name() + "' could not be started: " + e.getMessage()));
        return STEP_FAILED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println("Step '" + step.name() + "' was interrupted.");
        return STEP_FAILED;
      }
      if (exitCode != 0) {
        err.println("Step '" + step.name() + "' failed with exit code " + exitCode);
        return STEP_FAILED;
      }
      out.println("<== Step '" + step.name() + "' succeeded");
    }
    out.println();
    out.println(
        "Deployed "
            + content.projectName()
            + " release "
            + content.releaseNumber()
            + " to "
            + content.environmentName()
            + ": "
            + total
            + (total == 1 ? " step" : " steps")
            + " succeeded.");
    return SUCCEEDED;
  }

  private static Map<String, String> prefixed(Map<String, String> parameters) {
    Map<String, String> result = new LinkedHashMap<>();
    parameters.forEach((name, value) -> result.put(PARAMETERS + name, value));
    return result;
  }
}
