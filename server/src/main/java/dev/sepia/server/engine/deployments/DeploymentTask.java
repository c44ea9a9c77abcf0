package dev.sepia.server.engine.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sepia.server.comms.ServerComms;
import dev.sepia.server.engine.ssh.SshTargetConnections;
import dev.sepia.server.engine.ssh.SshTargets;
import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskContext;
import dev.sepia.server.engine.tasks.TaskFailedException;
import dev.sepia.server.engine.tasks.TaskKind;
import dev.sepia.server.engine.tasks.TaskLog;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.model.deployments.Deployment;
import dev.sepia.server.model.deployments.DeploymentStore;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.releases.Release;
import dev.sepia.server.model.releases.ReleaseSnapshot;
import dev.sepia.server.model.releases.ReleaseStore;
import dev.sepia.server.recovery.ClearedValueException;
import dev.sepia.server.security.Barrier;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The "Deploy" task: deploys one release to one environment. Steps run in order; each runs on every
 * target in the environment with one of its roles, in parallel up to the step's limit. A step that
 * fails on any target stops the deployment. Offline drop targets get a bundle instead.
 */
public final class DeploymentTask implements TaskKind {
  public static final String NAME = "Deploy";

  private final Jdbi jdbi;
  private final Barrier barrier;
  private final DeploymentQueue queue;
  private final Map<CommunicationStyle, ScriptExecutor> executors;
  private final OfflineBundles bundles;

  /** The Deploy task with the ways this server reaches targets. */
  public static DeploymentTask create(
      Jdbi jdbi,
      Barrier barrier,
      DeploymentQueue queue,
      ServerComms comms,
      SshTargets ssh,
      SshTargetConnections sshConnections) {
    ScriptExecutor tentacles = new TentacleScriptExecutor(comms);
    return new DeploymentTask(
        jdbi,
        barrier,
        queue,
        Map.of(
            CommunicationStyle.TentaclePassive,
            tentacles,
            CommunicationStyle.TentacleActive,
            tentacles,
            CommunicationStyle.Ssh,
            new SshScriptExecutor(ssh, sshConnections)),
        new OfflineBundles(jdbi, barrier));
  }

  DeploymentTask(
      Jdbi jdbi,
      Barrier barrier,
      DeploymentQueue queue,
      Map<CommunicationStyle, ScriptExecutor> executors,
      OfflineBundles bundles) {
    this.jdbi = jdbi;
    this.barrier = barrier;
    this.queue = queue;
    this.executors = Map.copyOf(executors);
    this.bundles = bundles;
  }

  /** Arguments of a Deploy task. */
  public static JsonNode arguments(String deploymentId) {
    return JsonNodeFactory.instance.objectNode().put("deploymentId", deploymentId);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe(JsonNode arguments) {
    throw new IllegalArgumentException(
        "Deployments are started with POST /api/deployments {\"releaseId\", \"environmentId\"}.");
  }

  @Override
  public ServerTask retry(ServerTask finished, String requestedBy, TaskStore store) {
    return queue.redeploy(deploymentId(finished.arguments()), requestedBy);
  }

  @Override
  public void run(JsonNode arguments, TaskContext context) throws Exception {
    TaskLog log = context.log();
    String deploymentId = deploymentId(arguments);
    Deployment deployment =
        new DeploymentStore(jdbi)
            .find(deploymentId)
            .orElseThrow(() -> new TaskFailedException("Deployment " + deploymentId + " is gone."));
    Release release =
        new ReleaseStore(jdbi)
            .find(deployment.releaseId())
            .orElseThrow(() -> new TaskFailedException("Its release has been deleted."));
    Environment environment =
        new EnvironmentStore(jdbi)
            .find(deployment.environmentId())
            .orElseThrow(() -> new TaskFailedException("Its environment has been deleted."));
    Map<String, String> opened = openSensitiveValues(release);
    // Before anything can print them: every sensitive value of the release is masked from here on.
    log.addSecrets(opened.values());

    ReleaseSnapshot snapshot = release.snapshot();
    log.info(
        "Deploying "
            + snapshot.projectName()
            + " release "
            + release.version()
            + " to "
            + environment.name());
    List<Machine> targets = targetsIn(environment);
    TargetVariables variables =
        new TargetVariables(
            snapshot,
            opened,
            environment.id(),
            builtIns(deployment, release, environment, context.taskId()));

    List<Machine> drops =
        targets.stream()
            .filter(m -> m.communicationStyle() == CommunicationStyle.OfflineDrop)
            .toList();
    List<Machine> live =
        targets.stream()
            .filter(m -> m.communicationStyle() != CommunicationStyle.OfflineDrop)
            .toList();
    bundles.write(drops, snapshot, release, environment, deployment, variables, opened, log);

    List<ReleaseSnapshot.Step> steps = snapshot.steps();
    for (int i = 0; i < steps.size(); i++) {
      context.throwIfCancelled();
      ReleaseSnapshot.Step step = steps.get(i);
      List<Machine> stepTargets = withAnyRole(live, step.targetRoles());
      boolean inBundles = !withAnyRole(drops, step.targetRoles()).isEmpty();
      log.info("Step " + (i + 1) + " of " + steps.size() + ": " + step.name());
      if (stepTargets.isEmpty()) {
        if (inBundles) {
          log.info("  Only offline drop targets have its roles; it is in their bundles.");
          continue;
        }
        throw new TaskFailedException(
            "Step '"
                + step.name()
                + "' runs on targets with role "
                + String.join(" or ", step.targetRoles())
                + ", and environment "
                + environment.name()
                + " has none. Add a target with one of these roles to "
                + environment.name()
                + " (for a Tentacle: sepia-tentacle register-with --environment "
                + quoteIfNeeded(environment.name())
                + " --role "
                + step.targetRoles().get(0)
                + " …).");
      }
      new StepRun(step, i + 1, stepTargets, variables, opened, executors, context).run();
    }
    log.info(
        "Deployed "
            + snapshot.projectName()
            + " "
            + release.version()
            + " to "
            + environment.name());
  }

  private Map<String, String> openSensitiveValues(Release release) throws TaskFailedException {
    try {
      return jdbi.withHandle(h -> ReleaseStore.openSensitiveValues(h, barrier, release.id()));
    } catch (ClearedValueException e) {
      throw new TaskFailedException(
          "Release " + release.version() + " cannot be deployed: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new TaskFailedException(
          "A sensitive value of release "
              + release.version()
              + " cannot be decrypted with this server's master key. Create a new release once"
              + " the project's sensitive values are set again.");
    }
  }

  private List<Machine> targetsIn(Environment environment) {
    String name = environment.name().toLowerCase(Locale.ROOT);
    return new MachineStore(jdbi)
        .all().stream()
            .filter(
                m ->
                    m.environments().stream()
                        .anyMatch(e -> e.toLowerCase(Locale.ROOT).equals(name)))
            .toList();
  }

  static List<Machine> withAnyRole(List<Machine> machines, List<String> roles) {
    List<Machine> out = new ArrayList<>();
    for (Machine m : machines) {
      if (m.roles().stream().anyMatch(r -> roles.stream().anyMatch(r::equalsIgnoreCase))) {
        out.add(m);
      }
    }
    return out;
  }

  private static Map<String, String> builtIns(
      Deployment deployment, Release release, Environment environment, String taskId) {
    Map<String, String> builtIns = new LinkedHashMap<>();
    builtIns.put("Sepia.Environment.Id", environment.id());
    builtIns.put("Sepia.Environment.Name", environment.name());
    builtIns.put("Sepia.Project.Id", deployment.projectId());
    builtIns.put("Sepia.Project.Name", release.snapshot().projectName());
    builtIns.put("Sepia.Release.Id", release.id());
    builtIns.put("Sepia.Release.Number", release.version());
    builtIns.put("Sepia.Deployment.Id", deployment.id());
    builtIns.put("Sepia.Deployment.CreatedBy", deployment.createdBy());
    builtIns.put("Sepia.Task.Id", taskId);
    return builtIns;
  }

  private static String deploymentId(JsonNode arguments) {
    JsonNode id = arguments == null ? null : arguments.get("deploymentId");
    if (id == null || id.asText().isBlank()) {
      throw new IllegalArgumentException("A Deploy task needs a deploymentId.");
    }
    return id.asText();
  }

  private static String quoteIfNeeded(String value) {
    return value.contains(" ") ? "\"" + value + "\"" : value;
  }
}
