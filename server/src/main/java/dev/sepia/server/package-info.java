/** The Sepia server: command line, configuration, store, web API. */
package dev.sepia.server;
