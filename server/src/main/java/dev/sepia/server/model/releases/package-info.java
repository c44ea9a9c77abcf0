/**
 * Releases: a project's process and variables frozen when the release is created, so deploying it
 * later runs exactly what was released. Sensitive values in a snapshot stay sealed.
 */
package dev.sepia.server.model.releases;
