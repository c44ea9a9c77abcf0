package dev.sepia.server.model.machines;

/**
 * Why a target can or cannot be reached. Kept apart from the health status so that a Tentacle that
 * refuses the server's certificate (fixable with one command on it) is never confused with one that
 * is simply down.
 */
public enum Connectivity {
  Unknown,
  Connected,
  Unreachable,
  RefusesServerCertificate,
  PresentedUnexpectedCertificate,
  Error
}
