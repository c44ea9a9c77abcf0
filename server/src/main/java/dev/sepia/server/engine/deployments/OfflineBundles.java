package dev.sepia.server.engine.deployments;

import dev.sepia.bundle.BundleContent;
import dev.sepia.bundle.BundleStep;
import dev.sepia.bundle.BundleWriter;
import dev.sepia.crypto.Secret;
import dev.sepia.server.engine.tasks.TaskFailedException;
import dev.sepia.server.engine.tasks.TaskLog;
import dev.sepia.server.model.deployments.Deployment;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.releases.Release;
import dev.sepia.server.model.releases.ReleaseSnapshot;
import dev.sepia.server.recovery.ClearedValues;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import dev.sepia.variables.VariableDictionary;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Offline package drop targets: for each, a bundle with the steps that apply to it and its
 * variables, the sensitive ones sealed with the target's bundle password.
 */
public final class OfflineBundles {
  private final Jdbi jdbi;
  private final Barrier barrier;

  public OfflineBundles(Jdbi jdbi, Barrier barrier) {
    this.jdbi = jdbi;
    this.barrier = barrier;
  }

  void write(
      List<Machine> drops,
      ReleaseSnapshot snapshot,
      Release release,
      Environment environment,
      Deployment deployment,
      TargetVariables variables,
      Map<String, String> opened,
      TaskLog log)
      throws TaskFailedException {
    for (Machine drop : drops) {
      List<BundleStep> steps = new ArrayList<>();
      for (ReleaseSnapshot.Step step : snapshot.steps()) {
        if (DeploymentTask.withAnyRole(List.of(drop), step.targetRoles()).isEmpty()) {
          continue;
        }
        Map<String, String> sensitive = new LinkedHashMap<>();
        step.sensitiveParameters()
            .forEach((name, ref) -> sensitive.put(name, opened.getOrDefault(ref, "")));
        steps.add(new BundleStep(step.name(), step.script(), step.parameters(), sensitive));
      }
      if (steps.isEmpty()) {
        continue;
      }
      VariableDictionary dictionary = variables.forTarget(drop);
      BundleContent content =
          new BundleContent(
              snapshot.projectName(),
              release.version(),
              environment.name(),
              drop.name(),
              deployment.id(),
              steps,
              dictionary.rawPlain(),
              dictionary.rawSensitive());
      Secret password = password(drop);
      try {
        Path bundle = BundleWriter.write(Path.of(drop.dropFolder()), content, password);
        log.info(
            "["
                + drop.name()
                + "] Wrote an offline bundle with "
                + steps.size()
                + " step(s) to "
                + bundle
                + ". Copy the folder to the machine and run deploy.sh there; it asks for the"
                + " target's bundle password.");
      } catch (IOException e) {
        throw new TaskFailedException(
            "Could not write the offline bundle for "
                + drop.name()
                + " to "
                + drop.dropFolder()
                + ": "
                + e.getMessage()
                + ". Check that the folder exists and the server may write to it.");
      } finally {
        password.wipe();
      }
    }
  }

  private Secret password(Machine drop) throws TaskFailedException {
    String sealed =
        jdbi.withHandle(h -> MachineStore.sealedDropPassword(h, drop.id())).orElse(null);
    if (sealed == null) {
      var field = EncryptedFieldCatalogue.OFFLINE_DROP_PASSWORD;
      String cleared =
          jdbi.withHandle(
              h ->
                  ClearedValues.wasCleared(h, field, drop.id())
                      ? ClearedValues.failure(h, field, drop.id()).getMessage()
                      : null);
      throw new TaskFailedException(
          cleared != null
              ? cleared
              : "Offline drop target "
                  + drop.name()
                  + " has no bundle password; set one on the target.");
    }
    try {
      return Secret.of(
          barrier.openString(EncryptedFieldCatalogue.OFFLINE_DROP_PASSWORD, drop.id(), sealed));
    } catch (GeneralSecurityException e) {
      throw new TaskFailedException(
          "The bundle password of "
              + drop.name()
              + " cannot be decrypted with this server's master key; set it again on the"
              + " target.");
    }
  }
}
