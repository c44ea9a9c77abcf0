/** A Tentacle instance's settings: typed view of its config file, and the machine it runs on. */
package dev.sepia.tentacle.config;
