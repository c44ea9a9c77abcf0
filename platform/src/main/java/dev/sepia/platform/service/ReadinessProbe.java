package dev.sepia.platform.service;

/**
 * Says whether a started service is ready to serve, e.g. by calling the server's {@code
 * /api/health}. Called repeatedly while starting; an exception counts as "not ready yet".
 */
@FunctionalInterface
public interface ReadinessProbe {
  boolean isReady();
}
