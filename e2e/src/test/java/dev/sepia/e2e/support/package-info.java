/**
 * The e2e harness: launches sepia-server as a real process, creates instances in temporary folders,
 * provides H2 and PostgreSQL databases, and reads them directly to prove what changed.
 */
package dev.sepia.e2e.support;
