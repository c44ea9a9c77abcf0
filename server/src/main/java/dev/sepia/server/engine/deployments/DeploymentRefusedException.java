package dev.sepia.server.engine.deployments;

/** A deployment that may not be queued (lifecycle order, missing release…); says why. */
public final class DeploymentRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public DeploymentRefusedException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status that fits: 404 for something missing, 409 for a rule. */
  public int status() {
    return status;
  }
}
