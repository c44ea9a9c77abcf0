/** The certificate library: uploaded certificates, what they say, and their sealed private keys. */
package dev.sepia.server.model.certificates;
