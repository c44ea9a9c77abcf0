/** Deployment targets ("machines"): Tentacles the server deploys to, and their health. */
package dev.sepia.server.model.machines;
