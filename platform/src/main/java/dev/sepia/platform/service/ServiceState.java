package dev.sepia.platform.service;

/** Whether a service is installed, and if so whether it runs. */
public enum ServiceState {
  RUNNING,
  STOPPED,
  NOT_INSTALLED
}
