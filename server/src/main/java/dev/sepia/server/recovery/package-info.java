/**
 * Recovery after a lost master key: clears what can no longer be opened, lists it for re-entry, and
 * brings the server back with a new key and certificate.
 */
package dev.sepia.server.recovery;
