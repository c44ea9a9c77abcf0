/** The sepia-tentacle command line: one class per command. */
package dev.sepia.tentacle.cli;
