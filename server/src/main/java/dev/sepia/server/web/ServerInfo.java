package dev.sepia.server.web;

import dev.sepia.server.store.DatabaseKind;

/** Facts about the running server that the API reports. */
public record ServerInfo(
    String version, String instance, String node, String thumbprint, DatabaseKind databaseKind) {}
