/** The server instance's config file: typed settings and the machine-protected master key. */
package dev.sepia.server.config;
