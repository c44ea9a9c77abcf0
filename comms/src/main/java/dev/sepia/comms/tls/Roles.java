package dev.sepia.comms.tls;

/** The two roles a side of a Sepia connection plays, as spelled in messages and APIs. */
final class Roles {

  static final String SERVER = "server";
  static final String TENTACLE = "tentacle";

  private Roles() {}
}
