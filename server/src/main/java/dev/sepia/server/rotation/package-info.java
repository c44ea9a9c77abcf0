/** Master key rotation: a new key, every sealed value re-encrypted, while servers keep serving. */
package dev.sepia.server.rotation;
