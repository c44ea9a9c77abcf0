package dev.sepia.server.model.machines;

/**
 * How the server reaches an SSH target.
 *
 * @param hostKeyFingerprint the host key as OpenSSH prints it ({@code SHA256:…}); any other key is
 *     refused
 * @param accountId the account (username + password or key pair) to sign in with
 */
public record SshSettings(String host, int port, String hostKeyFingerprint, String accountId) {}
