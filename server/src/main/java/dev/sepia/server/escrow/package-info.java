/** Which master key has been escrowed, and the reminder until the current one is. */
package dev.sepia.server.escrow;
