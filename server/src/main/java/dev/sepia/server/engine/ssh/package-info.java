/** SSH targets: run deployment scripts with bash over SSH, pinned to the host key's fingerprint. */
package dev.sepia.server.engine.ssh;
