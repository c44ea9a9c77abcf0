/** The Tentacle agent that runs deployments on a target machine, and its version. */
package dev.sepia.tentacle;
