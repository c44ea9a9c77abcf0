/** The barrier: the only code that seals and opens sensitive values, and the master key gate. */
package dev.sepia.server.security;
