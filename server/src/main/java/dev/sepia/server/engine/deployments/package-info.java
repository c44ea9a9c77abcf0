/**
 * Running deployments: the "Deploy" task resolves variables per target, runs each step of a
 * release's process on the targets with its roles (Tentacle, SSH), writes offline bundles for drop
 * targets, and masks every sensitive value in the task log.
 */
package dev.sepia.server.engine.deployments;
