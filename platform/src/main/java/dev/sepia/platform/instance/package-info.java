/** Which server or Tentacle instances live on this machine, and where their config files are. */
package dev.sepia.platform.instance;
