package dev.sepia.e2e.tentacle;

/** Who opens the connection between server and Tentacle: the two ways a Tentacle is reached. */
public enum Dial {
  /** The server dials the Tentacle's port (TentaclePassive). */
  LISTENING,
  /** The Tentacle dials the server's polling port (TentacleActive). */
  POLLING
}
