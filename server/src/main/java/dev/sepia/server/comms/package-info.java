/** The server's end of Tentacle communication: its polling port and channels to each target. */
package dev.sepia.server.comms;
