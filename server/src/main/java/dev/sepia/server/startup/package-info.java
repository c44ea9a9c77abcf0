/** Opening an instance and running the server: checks before anything is written, then serve. */
package dev.sepia.server.startup;
