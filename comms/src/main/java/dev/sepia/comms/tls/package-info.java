/** Mutual TLS where each side trusts the other by pinned certificate thumbprint, never by chain. */
package dev.sepia.comms.tls;
