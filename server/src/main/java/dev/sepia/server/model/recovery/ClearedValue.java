package dev.sepia.server.model.recovery;

import java.time.Instant;

/**
 * A sensitive value that a recovery cleared and that has not been entered again. It names where the
 * value belonged, never the value (which no longer exists).
 *
 * @param kind what owned the value ("Sensitive variable", "Account", …)
 * @param owner the owner in an operator's words, e.g. "Sensitive variable DbPassword: value"
 * @param link the UI path where the value is entered again, or null when there is none
 */
public record ClearedValue(
    long id, String kind, String owner, String link, Instant clearedAt, String recoveryId) {}
