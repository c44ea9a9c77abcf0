/** The deployment model: what the server manages. Knows nothing of HTTP. */
package dev.sepia.server.model;
