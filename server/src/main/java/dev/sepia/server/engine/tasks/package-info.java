/**
 * Server tasks: queued in the database, claimed by a node, run by a bounded pool, logged to files.
 */
package dev.sepia.server.engine.tasks;
