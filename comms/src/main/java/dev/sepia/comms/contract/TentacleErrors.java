package dev.sepia.comms.contract;

/**
 * Error types a Tentacle answers with (throw {@code RpcFault} with one of these), and the caller
 * finds in {@code RemoteException.type()}.
 */
public final class TentacleErrors {

  /** The ticket names no script this Tentacle knows. */
  public static final String UNKNOWN_TICKET = "UnknownTicket";

  /** The uploaded data's SHA-256 or length differs from what the command announced. */
  public static final String HASH_MISMATCH = "HashMismatch";

  /** The path or ticket is not allowed (absolute, contains "..", bad characters). */
  public static final String INVALID_REQUEST = "InvalidRequest";

  private TentacleErrors() {}
}
