/** The sepia-server command line: one class per command. */
package dev.sepia.server.cli;
