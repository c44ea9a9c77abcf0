package dev.sepia.server.store;

/** What a database holds, as far as Sepia is concerned. */
public enum DatabaseState {
  /** No tables at all: ready for {@code database --create}. */
  EMPTY,
  /** The Sepia schema exists but its creation did not finish (no master key verifier yet). */
  SEPIA_INCOMPLETE,
  /** A Sepia database with a master key verifier. */
  SEPIA,
  /** Tables that are not Sepia's. Sepia will not write into it. */
  FOREIGN
}
