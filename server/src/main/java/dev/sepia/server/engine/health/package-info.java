/** Health checks: contact each target and record whether it answers, and if not, why. */
package dev.sepia.server.engine.health;
