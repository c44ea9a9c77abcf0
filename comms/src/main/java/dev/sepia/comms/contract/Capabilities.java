package dev.sepia.comms.contract;

import java.util.List;

/**
 * What a Tentacle is and can do.
 *
 * @param shells the script shells it can run, e.g. {@code ["bash", "sh"]}
 * @param methods the RPC methods it serves
 */
public record Capabilities(
    String agentVersion, String os, List<String> shells, List<String> methods) {

  public Capabilities {
    shells = shells == null ? List.of() : List.copyOf(shells);
    methods = methods == null ? List.of() : List.copyOf(methods);
  }
}
