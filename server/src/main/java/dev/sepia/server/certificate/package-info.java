/** The server's X.509 certificate: stored with its private key sealed by the barrier. */
package dev.sepia.server.certificate;
