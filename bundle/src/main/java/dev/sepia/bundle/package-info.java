/**
 * Offline package drop bundles: a folder with the deployment's scripts and variables, the sensitive
 * ones sealed with a password, and a runner that deploys it where it is copied.
 */
package dev.sepia.bundle;
