package dev.sepia.server.model.deployments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle rule: a release may go to the environments of a phase only once every earlier phase
 * is complete (the release succeeded in each of its environments). Redeploying to an environment of
 * an open phase is always allowed.
 */
public final class Promotion {

  /** A lifecycle phase: its name and its environments' ids. */
  public record Phase(String name, List<String> environmentIds) {}

  private Promotion() {}

  /**
   * Why the release may not go to {@code environmentId}, or null when it may.
   *
   * @param environmentNames id → name, for the message
   */
  public static String refusal(
      String releaseVersion,
      String lifecycleName,
      List<Phase> phases,
      Set<String> succeededEnvironments,
      String environmentId,
      Map<String, String> environmentNames) {
    int target = -1;
    for (int i = 0; i < phases.size(); i++) {
      if (phases.get(i).environmentIds().contains(environmentId)) {
        target = i;
        break;
      }
    }
    String environment = environmentNames.getOrDefault(environmentId, environmentId);
    if (target < 0) {
      return "Environment '"
          + environment
          + "' is not in lifecycle '"
          + lifecycleName
          + "'. Add it to a phase of the lifecycle, or deploy to one of its environments.";
    }
    for (int i = 0; i < target; i++) {
      Phase phase = phases.get(i);
      List<String> missing = new ArrayList<>();
      for (String id : phase.environmentIds()) {
        if (!succeededEnvironments.contains(id)) {
          missing.add(environmentNames.getOrDefault(id, id));
        }
      }
      if (!missing.isEmpty()) {
        return "Release "
            + releaseVersion
            + " cannot be deployed to '"
            + environment
            + "' yet: lifecycle '"
            + lifecycleName
            + "' first needs a successful deployment of it to "
            + String.join(", ", missing)
            + " (phase '"
            + phase.name()
            + "'). Deploy it there first.";
      }
    }
    return null;
  }

  /** The environments this release may be deployed to now, in lifecycle order. */
  public static List<String> allowedEnvironments(
      List<Phase> phases, Set<String> succeededEnvironments) {
    List<String> allowed = new ArrayList<>();
    for (Phase phase : phases) {
      allowed.addAll(phase.environmentIds());
      if (!succeededEnvironments.containsAll(phase.environmentIds())) {
        break;
      }
    }
    return allowed;
  }
}
