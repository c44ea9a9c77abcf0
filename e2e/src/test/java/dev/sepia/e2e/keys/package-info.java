/**
 * Helpers for the backup, rotation and escrow e2e tests: a server site with Tentacles, a project
 * holding every kind of secret, and damaged copies of a backup archive.
 */
package dev.sepia.e2e.keys;
