/**
 * Black-box end-to-end tests: sepia-server runs as a real process, and the tests assert on what it
 * prints, its exit codes, the HTTP API, and what it leaves in files and databases.
 */
package dev.sepia.e2e;
