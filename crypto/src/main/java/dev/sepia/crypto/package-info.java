/** Keys, field encryption, machine-bound secrets, password hashes and certificates for Sepia. */
package dev.sepia.crypto;
