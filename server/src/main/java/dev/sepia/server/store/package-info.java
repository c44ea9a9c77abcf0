/** The server's database: connection, schema migrations, and facts about the database itself. */
package dev.sepia.server.store;
