/** Users, their API keys and web sessions; secrets are stored only as hashes. */
package dev.sepia.server.users;
