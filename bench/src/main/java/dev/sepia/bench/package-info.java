/** Benchmarks and load harnesses: real servers and Tentacles in one JVM, figures written down. */
package dev.sepia.bench;
