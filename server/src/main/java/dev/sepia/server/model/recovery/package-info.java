/** What a recovery after a lost master key left to do: its runs and the values to re-enter. */
package dev.sepia.server.model.recovery;
