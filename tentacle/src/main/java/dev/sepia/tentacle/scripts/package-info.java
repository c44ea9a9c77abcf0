/** Runs scripts for the server: one workspace and one on-disk log per ticket. */
package dev.sepia.tentacle.scripts;
