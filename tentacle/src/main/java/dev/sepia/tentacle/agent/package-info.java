/** The running Tentacle: identity, trust, services, and the listening and polling endpoints. */
package dev.sepia.tentacle.agent;
