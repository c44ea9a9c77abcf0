/** The encrypted-field catalogue: every database column that holds ciphertext, declared once. */
package dev.sepia.server.store.catalogue;
