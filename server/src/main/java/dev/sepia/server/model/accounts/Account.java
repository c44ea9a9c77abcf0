package dev.sepia.server.model.accounts;

/**
 * An account as the API and the UI see it: which secrets are set, never their values. The values
 * are read only through {@link AccountStore#open}.
 */
public record Account(
    String id,
    String name,
    AccountKind kind,
    String description,
    String username,
    boolean passwordSet,
    boolean privateKeySet,
    boolean passphraseSet,
    boolean tokenSet) {}
