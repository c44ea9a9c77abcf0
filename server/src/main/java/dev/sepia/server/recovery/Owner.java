package dev.sepia.server.recovery;

/**
 * Who owns a sealed value, in an operator's words.
 *
 * @param rowId the value's row
 * @param name the owner, e.g. "DbPassword of project Shop (scope: environments Production)"
 * @param link where the value is entered in the web UI, or null
 * @param place the same in menu words, e.g. "Projects › Shop › Variables", or null
 */
public record Owner(String rowId, String name, String link, String place) {}
