package dev.sepia.server.users;

/** What a user may do. Checked on every API endpoint. */
public enum Role {
  ADMINISTRATOR("Administrator"),
  DEPLOYER("Deployer"),
  VIEWER("Viewer");

  private final String displayName;

  Role(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }
}
