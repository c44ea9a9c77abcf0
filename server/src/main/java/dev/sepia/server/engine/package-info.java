/** The server's work: tasks claimed from the database, and what they do (health checks, …). */
package dev.sepia.server.engine;
