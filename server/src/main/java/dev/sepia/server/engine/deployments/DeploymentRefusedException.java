package dev.sepia.server.engine.deployments;

import dev.sepia.server.engine.tasks.TaskRefusedException;

/** A deployment that may not be queued (lifecycle order, missing release…); says why. */
public final class DeploymentRefusedException extends TaskRefusedException {
  private static final long serialVersionUID = 1L;

  public DeploymentRefusedException(int status, String message) {
    super(status, message);
  }
}
