/**
 * The Tentacle e2e harness: launches sepia-tentacle as real processes, drives a real sepia-server
 * over its API, plays the server's side of comms from the test JVM, and cuts connections on demand.
 */
package dev.sepia.e2e.tentacle;
