/**
 * Deployments of releases to environments, and the lifecycle rule that decides where a release may
 * go next.
 */
package dev.sepia.server.model.deployments;
