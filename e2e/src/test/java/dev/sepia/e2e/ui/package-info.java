/**
 * The browser harness of the e2e tests: headless Chromium against a server running as a process.
 */
package dev.sepia.e2e.ui;
